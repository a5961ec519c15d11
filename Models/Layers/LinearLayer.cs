using AutoGrad.Models.Specs;
using AutoGrad.Ops;

namespace AutoGrad.Models.Layers;

/// <summary>Fully connected: y = x·Wᵀ + b, W [out, in] (PyTorch layout). Input must be flat [features].</summary>
public sealed class LinearLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node<T> weight;
    private readonly Node<T>? bias;

    public LinearLayer(string name, int[] input, int outFeatures, bool useBias, string init, Random? rng)
        : base(name, LayerTypes.Linear, input, OutShape(name, input, outFeatures))
    {
        weight = Node<T>.Parameter(new Tensor<T>(outFeatures, input[0]), $"{name}.weight");
        if (rng is not null) Initializers.Fill(weight.Value, init, input[0], outFeatures, rng, name);   // null: weights come from a checkpoint
        if (useBias) bias = Node<T>.Parameter(new Tensor<T>(outFeatures), $"{name}.bias");
    }

    internal static int[] OutShape(string name, int[] input, int outFeatures)
    {
        if (input.Length != 1)
            throw new AutoGradException($"layer {name} (linear): expects a flat input [features] but gets {Shapes.Format(input)}; add a flatten layer before it");
        if (outFeatures < 1) throw new AutoGradException($"layer {name} (linear): \"out\" must be at least 1");
        return [outFeatures];
    }

    /// <summary>Weight [out, in].</summary>
    public Tensor<T> Weight => weight.Value;
    public Tensor<T>? Bias => bias?.Value;
    public override IReadOnlyList<Node<T>> Parameters => bias is null ? [weight] : [weight, bias];
    public override long MultiplyAdds => (long)InputShape[0] * OutputShape[0];
    public override Node<T> Forward(Node<T> x, ForwardContext context) => Linear.Apply(x, weight, bias);
}
