using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;

namespace AutoGrad.Models;

/// <summary>
/// A sequential network built from a <see cref="ModelSpec"/> for a given class count: an ordered list of
/// named layers. Parameters are found by walking the layers.
/// </summary>
public sealed class Model<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal Model(ModelSpec spec, int classes, IReadOnlyList<Layer<T>> layers)
    {
        Spec = spec;
        Classes = classes;
        Layers = layers;
        Parameters = layers.SelectMany(l => l.Parameters).ToList();
    }

    public ModelSpec Spec { get; }
    public int Classes { get; }
    public IReadOnlyList<Layer<T>> Layers { get; }
    public IReadOnlyList<Node<T>> Parameters { get; }
    public int[] InputShape => Spec.Input;
    public long ParameterCount => Parameters.Sum(p => (long)p.Value.Length);

    /// <summary>Runs the layers on a batch [N, …input]; each layer's nodes are tagged with its name.</summary>
    public Node<T> Forward(Node<T> batch, ForwardContext context)
    {
        var expected = Spec.Input;
        if (batch.Shape.Length != expected.Length + 1 || !Shapes.Equal(batch.Shape.AsSpan(1), expected))
            throw new AutoGradException($"model {Spec.Name} expects input [N, {string.Join(", ", expected)}], got {Shapes.Format(batch.Shape)}");
        var x = batch;
        foreach (var layer in Layers)
        {
            using var _ = LayerScope.Enter(layer.Name);
            x = layer.Forward(x, context);
        }
        return x;
    }

    /// <summary>Parameters then buffers, by name, in layer order: what a checkpoint holds.</summary>
    public IEnumerable<(string Name, Tensor<T> Value)> StateTensors()
    {
        foreach (var layer in Layers)
        {
            foreach (var p in layer.Parameters) yield return (p.Name!, p.Value);
            foreach (var b in layer.Buffers) yield return b;
        }
    }

    /// <summary>Copies named values (from a checkpoint or another model) into this model, checking names and shapes.</summary>
    public void LoadState(Func<string, (int[] Shape, Func<int, double> Value)?> lookup, string source)
    {
        foreach (var (name, value) in StateTensors())
        {
            var found = lookup(name) ?? throw new AutoGradException($"{source}: tensor '{name}' is missing (model {Spec.Name} needs it)");
            if (!Shapes.Equal(found.Shape, value.Shape))
                throw new AutoGradException($"{source}: tensor '{name}' has shape {Shapes.Format(found.Shape)} but model {Spec.Name} expects {Shapes.Format(value.Shape)}");
            for (int i = 0; i < value.Length; i++) value.Data[i] = T.CreateTruncating(found.Value(i));
        }
    }

    /// <summary>The same network in another element type with the same weights (e.g. float64 for gradient audits).</summary>
    public Model<TOut> Convert<TOut>() where TOut : unmanaged, IFloatingPointIeee754<TOut>
    {
        var copy = ModelBuilder.Build<TOut>(Spec, Classes, initialize: false);
        var mine = StateTensors().ToDictionary(s => s.Name, s => s.Value);
        copy.LoadState(name => mine.TryGetValue(name, out var t) ? (t.Shape, i => double.CreateTruncating(t.Data[i])) : null, $"model {Spec.Name}");
        return copy;
    }

    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ZeroGrad();
    }
}
