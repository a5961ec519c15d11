using AutoGrad.Models.Specs;
using AutoGrad.Ops;

namespace AutoGrad.Models.Layers;

/// <summary>
/// A basic residual block (He et al. 2016), one layer of a spec (<c>"type": "residual", "out": C, "stride": s</c>):
/// <code>y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))</code>
/// conv1 is 3×3 with stride s, conv2 3×3 with stride 1, both padded by 1 and without bias (batch norm follows).
/// The shortcut is x itself when the shape is kept, else a 1×1 convolution with stride s and batch norm
/// (projection). Its parts are ordinary layers named <c>&lt;block&gt;.conv1</c>, <c>&lt;block&gt;.bn1</c>, …, so parameters
/// read <c>res1.conv1.weight</c>; the gradient is the engine's (the skip is a fan-out summed by the engine).
/// </summary>
public sealed class ResidualLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Conv2dLayer<T> conv1, conv2;
    private readonly BatchNormLayer<T> bn1, bn2;
    private readonly Conv2dLayer<T>? projection;
    private readonly BatchNormLayer<T>? projectionNorm;

    public ResidualLayer(string name, int[] input, int outChannels, int stride, string init, Random? rng)
        : base(name, LayerTypes.Residual, input, OutShape(name, input, outChannels, stride))
    {
        conv1 = new Conv2dLayer<T>($"{name}.conv1", input, outChannels, 3, stride, 1, false, init, rng);
        bn1 = new BatchNormLayer<T>($"{name}.bn1", conv1.OutputShape);
        conv2 = new Conv2dLayer<T>($"{name}.conv2", conv1.OutputShape, outChannels, 3, 1, 1, false, init, rng);
        bn2 = new BatchNormLayer<T>($"{name}.bn2", conv2.OutputShape);
        if (stride != 1 || input[0] != outChannels)
        {
            projection = new Conv2dLayer<T>($"{name}.shortcut", input, outChannels, 1, stride, 0, false, init, rng);
            projectionNorm = new BatchNormLayer<T>($"{name}.shortcut_bn", projection.OutputShape);
        }
    }

    /// <summary>The block's output shape for <paramref name="input"/> [C, H, W]: [out, ⌈H/s⌉, ⌈W/s⌉].</summary>
    internal static int[] OutShape(string name, int[] input, int outChannels, int stride)
    {
        if (input.Length != 3) throw new AutoGradException($"layer {name} (residual): expects an image input [C, H, W] but gets {Shapes.Format(input)}");
        if (outChannels < 1 || stride < 1) throw new AutoGradException($"layer {name} (residual): out and stride must be at least 1 (got {outChannels}, {stride})");
        return [outChannels, (input[1] - 1) / stride + 1, (input[2] - 1) / stride + 1];
    }

    /// <summary>The main path: 3×3 convolution (stride s), batch norm, ReLU, 3×3 convolution, batch norm.</summary>
    public (Conv2dLayer<T> Conv1, BatchNormLayer<T> Norm1, Conv2dLayer<T> Conv2, BatchNormLayer<T> Norm2) Main => (conv1, bn1, conv2, bn2);

    /// <summary>The projection shortcut (1×1 convolution and batch norm), or null where the shortcut is x itself.</summary>
    public (Conv2dLayer<T> Conv, BatchNormLayer<T> Norm)? Shortcut => projection is null ? null : (projection, projectionNorm!);

    private IEnumerable<Layer<T>> Parts => projection is null ? [conv1, bn1, conv2, bn2] : [conv1, bn1, conv2, bn2, projection, projectionNorm!];

    public override IReadOnlyList<Node<T>> Parameters => Parts.SelectMany(p => p.Parameters).ToList();
    public override IReadOnlyList<(string Name, Tensor<T> Value)> Buffers => Parts.SelectMany(p => p.Buffers).ToList();
    /// <summary>Values kept per sample: conv1, bn1, relu, conv2, bn2, (shortcut conv, bn), sum and relu, each of the output's size.</summary>
    public override long ActivationElements => KeptValues(Shortcut is not null) * Shapes.Size(OutputShape);

    /// <summary>How many output-sized values a block keeps for backward (<see cref="ActivationElements"/>).</summary>
    internal static int KeptValues(bool projection) => projection ? 9 : 7;

    public override long MultiplyAdds => Parts.Sum(p => p.MultiplyAdds) + Shapes.Size(OutputShape) * 2L;

    public override Node<T> Forward(Node<T> x, ForwardContext context)
    {
        var main = Relu.Apply(bn1.Forward(conv1.Forward(x, context), context));
        main = bn2.Forward(conv2.Forward(main, context), context);
        var skip = projection is null ? x : projectionNorm!.Forward(projection.Forward(x, context), context);
        return Relu.Apply(Add.Apply(main, skip));
    }
}
