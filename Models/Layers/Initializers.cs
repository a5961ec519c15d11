namespace AutoGrad.Models.Layers;

/// <summary>
/// Weight initialisers, seeded. fan_in = in·kh·kw, fan_out = out·kh·kw. He/Kaiming keeps the variance
/// of ReLU activations constant (std √(2/fan_in)); Xavier/Glorot balances forward and backward
/// (variance 2/(fan_in+fan_out)). lecun_uniform is U(±1/√fan_in) (variance 1/(3·fan_in), PyTorch's default
/// for Linear): the default for the classifier layer, so initial logits are small and the first loss is
/// close to ln(C) instead of several times larger (a large first loss with momentum can kill every ReLU).
/// Biases start at zero.
/// </summary>
public static class Initializers
{
    public static readonly IReadOnlyList<string> Names = ["he_normal", "he_uniform", "xavier_normal", "xavier_uniform", "lecun_uniform"];

    public static void Fill<T>(Tensor<T> weight, string name, int fanIn, int fanOut, Random rng, string layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = weight.Data;
        switch (name)
        {
            case "he_normal": Normal(d, Math.Sqrt(2.0 / fanIn), rng); break;
            case "he_uniform": Uniform(d, Math.Sqrt(6.0 / fanIn), rng); break;
            case "xavier_normal": Normal(d, Math.Sqrt(2.0 / (fanIn + fanOut)), rng); break;
            case "xavier_uniform": Uniform(d, Math.Sqrt(6.0 / (fanIn + fanOut)), rng); break;
            case "lecun_uniform": Uniform(d, Math.Sqrt(1.0 / fanIn), rng); break;
            default: throw new AutoGradException($"layer {layer}: unknown init '{name}' (expected one of {string.Join(", ", Names)})");
        }
    }

    private static void Uniform<T>(T[] data, double bound, Random rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < data.Length; i++) data[i] = T.CreateTruncating((rng.NextDouble() * 2 - 1) * bound);
    }

    private static void Normal<T>(T[] data, double std, Random rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Box–Muller; 1 − U keeps the logarithm's argument in (0, 1].
        for (int i = 0; i < data.Length; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            data[i] = T.CreateTruncating(std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }
}
