using AutoGrad.Models.Specs;
using AutoGrad.Ops;

namespace AutoGrad.Models.Layers;

/// <summary>Flatten ([C, H, W] → [C·H·W], row-major as PyTorch) or global average pooling ([C, H, W] → [C]).</summary>
public sealed class ShapeLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public ShapeLayer(string name, string type, int[] input) : base(name, type, input, OutShape(name, type, input)) { }

    internal static int[] OutShape(string name, string type, int[] input)
    {
        if (type == LayerTypes.Flatten) return [Shapes.Size(input)];
        if (input.Length != 3) throw new AutoGradException($"layer {name} ({type}): expects an image input [C, H, W] but gets {Shapes.Format(input)}");
        return [input[0]];
    }

    public override Node<T> Forward(Node<T> x, ForwardContext context) =>
        Type == LayerTypes.Flatten ? Flatten.Apply(x, 1) : GlobalAvgPool2d.Apply(x);
}
