using AutoGrad.Models.Specs;
using AutoGrad.Ops;

namespace AutoGrad.Models.Layers;

/// <summary>Inverted dropout with probability p; the mask comes from the forward context's seeded RNG; identity in evaluation.</summary>
public sealed class DropoutLayer<T>(string name, int[] input, double p) : Layer<T>(name, LayerTypes.Dropout, input, input)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public double P { get; } = p is >= 0 and < 1 ? p : throw new AutoGradException($"layer {name} (dropout): p must be in [0, 1), got {p}");
    public override Node<T> Forward(Node<T> x, ForwardContext context) => Dropout.Apply(x, P, context.Training, context.Rng);
}
