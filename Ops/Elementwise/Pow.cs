using System.Globalization;

namespace AutoGrad.Ops;

/// <summary>xᵖ for a scalar exponent p. ∂/∂x = p·xᵖ⁻¹ (x &gt; 0 unless p is an integer).</summary>
[Op("pow")]
public static class Pow
{
    /// <summary>Records x raised to the scalar <paramref name="exponent"/> element-wise, with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x, double exponent) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = x.Value;
        T p = T.CreateTruncating(exponent);
        var attrs = new Dictionary<string, string> { ["p"] = exponent.ToString(CultureInfo.InvariantCulture) };
        return Node<T>.FromOp("pow", Unary.Elementwise(input, v => T.Pow(v, p)), [x], grad =>
        {
            T pm1 = p - T.One;
            return [Unary.Times(grad, Unary.Elementwise(input, v => p * T.Pow(v, pm1)))];
        }, attrs);
    }
}
