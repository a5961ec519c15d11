using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Diagnostics;

/// <summary>One layer of a recorded forward pass: the node it received and the node it produced.</summary>
public sealed record LayerTrace<T>(Layer<T> Layer, Node<T> Input, Node<T> Output) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>Runs a model layer by layer exactly as <see cref="Model{T}.Forward"/> does, keeping every layer's input and output.</summary>
public static class ForwardTrace
{
    public static IReadOnlyList<LayerTrace<T>> Run<T>(Model<T> model, Node<T> batch, ForwardContext context) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var traces = new List<LayerTrace<T>>(model.Layers.Count);
        var x = batch;
        foreach (var layer in model.Layers)
        {
            using var _ = LayerScope.Enter(layer.Name);
            var y = layer.Forward(x, context);
            traces.Add(new LayerTrace<T>(layer, x, y));
            x = y;
        }
        return traces;
    }
}
