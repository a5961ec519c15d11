using AutoGrad.Models.Specs;
using AutoGrad.Ops;

namespace AutoGrad.Models.Layers;

/// <summary>2-D convolution, weight [out, in, k, k], bias [out]; in-channels come from the input.</summary>
public sealed class Conv2dLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> weight;
    private readonly Node<T>? bias;
    private readonly int stride, padding;

    public Conv2dLayer(string name, int[] input, int outChannels, int kernel, int stride, int padding, bool useBias, string init, Random? rng)
        : base(name, LayerTypes.Conv2d, input, OutShape(name, input, outChannels, kernel, stride, padding))
    {
        this.stride = stride;
        this.padding = padding;
        int fanIn = input[0] * kernel * kernel, fanOut = outChannels * kernel * kernel;
        weight = Node<T>.Parameter(new Tensor<T>(outChannels, input[0], kernel, kernel), $"{name}.weight");
        if (rng is not null) Initializers.Fill(weight.Value, init, fanIn, fanOut, rng, name);   // null: weights come from a checkpoint
        if (useBias) bias = Node<T>.Parameter(new Tensor<T>(outChannels), $"{name}.bias");
    }

    internal static int[] OutShape(string name, int[] input, int outChannels, int kernel, int stride, int padding)
    {
        if (input.Length != 3) throw new AutoGradException($"layer {name} (conv2d): expects an image input [C, H, W] but gets {Shapes.Format(input)}");
        if (outChannels < 1 || kernel < 1 || stride < 1)
            throw new AutoGradException($"layer {name} (conv2d): out, kernel and stride must be at least 1 (got {outChannels}, {kernel}, {stride})");
        int oh = (input[1] + 2 * padding - kernel) / stride + 1, ow = (input[2] + 2 * padding - kernel) / stride + 1;
        if (input[1] + 2 * padding < kernel || input[2] + 2 * padding < kernel)
            throw new AutoGradException($"layer {name} (conv2d): kernel {kernel} does not fit input {Shapes.Format(input)} with padding {padding}");
        return [outChannels, oh, ow];
    }

    /// <summary>Weight [out, in, k, k].</summary>
    public Tensor<T> Weight => weight.Value;
    public Tensor<T>? Bias => bias?.Value;
    public int Stride => stride;
    public int Padding => padding;
    public override IReadOnlyList<Node<T>> Parameters => bias is null ? [weight] : [weight, bias];
    public override long MultiplyAdds => (long)Shapes.Size(OutputShape) * InputShape[0] * weight.Shape[2] * weight.Shape[3];
    public override Node<T> Forward(Node<T> x, ForwardContext context) => Conv2d.Apply(x, weight, bias, stride, padding);
}
