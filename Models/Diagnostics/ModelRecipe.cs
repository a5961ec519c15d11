using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;

namespace AutoGrad.Models.Diagnostics;

/// <summary>
/// How to make the model under diagnosis, as often as the checks need a fresh one: a spec and class count,
/// the initialisation seed, an optional layer substitution (a custom or broken layer) and an optional step run
/// after initialisation (a custom initialiser). The float64 twin for gradient audits copies the float32 weights.
/// </summary>
public sealed class ModelRecipe
{
    public ModelRecipe(ModelSpec spec, int classes, int seed = 1, ILayerSubstitution? substitution = null, Action<Model<float>>? afterInit = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        Classes = classes;
        Seed = seed;
        Substitution = substitution;
        AfterInit = afterInit;
        Build<float>(seed);   // validate the spec against the class count now, not in the middle of a check
    }

    public ModelSpec Spec { get; }
    public int Classes { get; }
    public int Seed { get; }
    public ILayerSubstitution? Substitution { get; }
    public Action<Model<float>>? AfterInit { get; }

    /// <summary>A freshly initialised float32 model (the same weights for the same seed).</summary>
    public Model<float> Create(int? seed = null)
    {
        var model = Build<float>(seed ?? Seed);
        AfterInit?.Invoke(model);
        return model;
    }

    /// <summary>The same network in float64 with <paramref name="model"/>'s weights and buffers.</summary>
    public Model<double> ToFloat64(Model<float> model)
    {
        var copy = Build<double>(0);
        var state = model.StateTensors().ToDictionary(s => s.Name, s => s.Value);
        copy.LoadState(name => state.TryGetValue(name, out var t) ? (t.Shape, i => t.Data[i]) : null, $"model {Spec.Name}");
        return copy;
    }

    private Model<T> Build<T>(int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = ModelBuilder.Build<T>(Spec, Classes, seed);
        if (Substitution is null) return model;
        var layers = new List<Layer<T>>(model.Layers.Count);
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var replaced = Substitution.Substitute(model.Layers[i], Spec.Layers[i]);
            if (!Shapes.Equal(replaced.OutputShape, model.Layers[i].OutputShape))
                throw new AutoGradException($"model {Spec.Name}: substitute for layer {model.Layers[i].Name} outputs {Shapes.Format(replaced.OutputShape)}, expected {Shapes.Format(model.Layers[i].OutputShape)}");
            layers.Add(replaced);
        }
        return new Model<T>(Spec, Classes, layers);
    }
}
