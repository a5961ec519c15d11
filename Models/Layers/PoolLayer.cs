using AutoGrad.Models.Specs;
using AutoGrad.Ops;

namespace AutoGrad.Models.Layers;

/// <summary>Max or average pooling (kernel, stride default = kernel, no padding).</summary>
public sealed class PoolLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int kernel, stride;

    public PoolLayer(string name, string type, int[] input, int kernel, int stride)
        : base(name, type, input, OutShape(name, type, input, kernel, stride))
    {
        this.kernel = kernel;
        this.stride = stride;
    }

    internal static int[] OutShape(string name, string type, int[] input, int kernel, int stride)
    {
        if (input.Length != 3) throw new AutoGradException($"layer {name} ({type}): expects an image input [C, H, W] but gets {Shapes.Format(input)}");
        if (kernel < 1 || stride < 1) throw new AutoGradException($"layer {name} ({type}): kernel and stride must be at least 1");
        if (input[1] < kernel || input[2] < kernel)
            throw new AutoGradException($"layer {name} ({type}): kernel {kernel} is larger than its input {Shapes.Format(input)}");
        return [input[0], (input[1] - kernel) / stride + 1, (input[2] - kernel) / stride + 1];
    }

    public int Kernel => kernel;
    public int Stride => stride;
    public override long MultiplyAdds => (long)Shapes.Size(OutputShape) * kernel * kernel;

    public override Node<T> Forward(Node<T> x, ForwardContext context) =>
        Type == LayerTypes.MaxPool2d ? MaxPool2d.Apply(x, kernel, stride) : AvgPool2d.Apply(x, kernel, stride);
}
