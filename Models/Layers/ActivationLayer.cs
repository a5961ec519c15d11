using AutoGrad.Ops;

namespace AutoGrad.Models.Layers;

/// <summary>An element-wise activation: relu, leaky_relu, sigmoid, tanh, swish, gelu.</summary>
public sealed class ActivationLayer<T>(string name, string type, int[] input, double slope = 0.01) : Layer<T>(name, type, input, input)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Negative slope of leaky_relu (unused by the others).</summary>
    public double Slope { get; } = slope;

    public override Node<T> Forward(Node<T> x, ForwardContext context) => Type switch
    {
        "relu" => Relu.Apply(x),
        "leaky_relu" => LeakyRelu.Apply(x, Slope),
        "sigmoid" => Sigmoid.Apply(x),
        "tanh" => Tanh.Apply(x),
        "swish" => Swish.Apply(x),
        "gelu" => Gelu.Apply(x),
        _ => throw new AutoGradException($"layer {Name}: unknown activation '{Type}'"),
    };
}
