using AutoGrad.Models.Specs;
using AutoGrad.Ops;

namespace AutoGrad.Models.Layers;

/// <summary>BatchNorm2d over the channels of [C, H, W]: γ (<c>.weight</c>, ones), β (<c>.bias</c>, zeros), running statistics as buffers.</summary>
public sealed class BatchNormLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> gamma, beta;
    private readonly BatchNormState<T> state;

    public BatchNormLayer(string name, int[] input) : base(name, LayerTypes.BatchNorm2d, input, input)
    {
        if (input.Length != 3) throw new AutoGradException($"layer {name} (batch_norm2d): expects an image input [C, H, W] but gets {Shapes.Format(input)}");
        gamma = Node<T>.Parameter(Tensor<T>.Full([input[0]], T.One), $"{name}.weight");
        beta = Node<T>.Parameter(new Tensor<T>(input[0]), $"{name}.bias");
        state = new BatchNormState<T>(input[0]);
    }

    public Tensor<T> Gamma => gamma.Value;
    public Tensor<T> Beta => beta.Value;
    /// <summary>Running mean and (unbiased) variance, and ε: what evaluation mode normalises with.</summary>
    public BatchNormState<T> State => state;
    public override IReadOnlyList<Node<T>> Parameters => [gamma, beta];
    public override IReadOnlyList<(string Name, Tensor<T> Value)> Buffers =>
        [($"{Name}.running_mean", state.RunningMean), ($"{Name}.running_var", state.RunningVar)];
    public override long MultiplyAdds => Shapes.Size(InputShape) * 2L;
    public override Node<T> Forward(Node<T> x, ForwardContext context) => BatchNorm2d.Apply(x, gamma, beta, state, context.Training);
}
