using System.Globalization;

namespace AutoGrad.Ops;

/// <summary>
/// Inverted dropout: in training, each element is zeroed with probability p (drawn from the given seeded
/// RNG) and survivors are scaled by 1/(1−p), so evaluation is the identity. ∂/∂x = mask/(1−p).
/// Off in evaluation (and for p = 0): returns the input node itself, recording nothing.
/// </summary>
[Op("dropout")]
public static class Dropout
{
    /// <summary>
    /// Zeroes each element of <paramref name="x"/> with probability <paramref name="p"/> drawn from <paramref name="rng"/> when
    /// <paramref name="training"/>, scaling the rest by 1/(1−p); returns <paramref name="x"/> itself otherwise.
    /// </summary>
    public static Node<T> Apply<T>(Node<T> x, double p, bool training, Random rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (p < 0 || p >= 1) throw new AutoGradException($"dropout probability must be in [0, 1), got {p.ToString(CultureInfo.InvariantCulture)}");
        if (!training || p == 0) return x;
        T scale = T.One / T.CreateTruncating(1 - p);
        var mask = TensorPool.RentArray<T>(x.Value.Length, clear: false);   // saved for backward, pooled with the node
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextDouble() >= p ? scale : T.Zero;
        var output = TensorPool.Rent<T>(x.Shape, clear: false);
        TP.Multiply(x.Value.Data, mask, output.Data);
        return Node<T>.FromOp("dropout", output, [x], grad =>
        {
            var g = TensorPool.Rent<T>(grad.Shape, clear: false);
            TP.Multiply(grad.Data, mask, g.Data);
            return [g];
        }, new Dictionary<string, string> { ["p"] = p.ToString(CultureInfo.InvariantCulture) }, [mask]);
    }
}
