using System.Globalization;

namespace AutoGrad.Ops;

/// <summary>
/// Inverted dropout: in training, each element is zeroed with probability p (drawn from the given seeded
/// RNG) and survivors are scaled by 1/(1−p), so evaluation is the identity. ∂/∂x = mask/(1−p).
/// Off in evaluation (and for p = 0): returns <paramref name="x"/> itself, recording nothing.
/// </summary>
[Op("dropout")]
public static class Dropout
{
    public static Node<T> Apply<T>(Node<T> x, double p, bool training, Random rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (p < 0 || p >= 1) throw new AutoGradException($"dropout probability must be in [0, 1), got {p.ToString(CultureInfo.InvariantCulture)}");
        if (!training || p == 0) return x;
        T scale = T.One / T.CreateTruncating(1 - p);
        var mask = new Tensor<T>(x.Shape);
        for (int i = 0; i < mask.Length; i++) mask.Data[i] = rng.NextDouble() >= p ? scale : T.Zero;
        var output = new Tensor<T>(x.Shape);
        TP.Multiply(x.Value.Data, mask.Data, output.Data);
        return Node<T>.FromOp("dropout", output, [x], grad =>
        {
            var g = new Tensor<T>(grad.Shape);
            TP.Multiply(grad.Data, mask.Data, g.Data);
            return [g];
        }, new Dictionary<string, string> { ["p"] = p.ToString(CultureInfo.InvariantCulture) });
    }
}
