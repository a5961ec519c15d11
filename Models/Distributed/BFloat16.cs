using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoGrad.Models.Distributed;

/// <summary>
/// bfloat16 for gradient transfer: float32's sign and 8 exponent bits with the top 7 of its 23 fraction bits, so
/// the range is float32's (no gradient underflows or overflows that float32 holds) and the precision is 8 bits
/// (unit roundoff u = 2⁻⁸). float16 would keep 3 more bits but underflow below 6·10⁻⁸ and overflow above 65,504,
/// which is why fp16 training needs loss scaling; error feedback makes up for precision across steps, not for range.
/// <para>Rounding is to nearest, ties to even, everywhere: <see cref="Round"/>, the error-feedback
/// <see cref="Quantize"/>, and the MPI sum, which widens both operands to float32 (exact), adds in float32 and
/// rounds the sum once: |result − (a + b)| ≤ u·|a + b| (plus float32's 2⁻²⁴ when the exponents differ by more than 16).</para>
/// </summary>
public static unsafe class BFloat16
{
    /// <summary>x rounded to the nearest bfloat16 (ties to even); NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Round(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) return (ushort)((bits >> 16) | 0x40);   // quiet NaN
        bits += 0x7FFF + ((bits >> 16) & 1);
        return (ushort)(bits >> 16);
    }

    /// <summary>The float32 a bfloat16 stands for (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Widen(ushort h) => BitConverter.UInt32BitsToSingle((uint)h << 16);

    /// <summary>
    /// Error feedback: v = <paramref name="scale"/>·g + e is sent as q = round(v) and e becomes v − q (exact in
    /// float32), so what a rank has sent over all steps plus its residual equals what it should have sent.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> gradient, float scale, Span<float> residual, Span<ushort> wire)
    {
        for (int i = 0; i < wire.Length; i++)
        {
            float v = gradient[i] * scale + residual[i];
            ushort q = Round(v);
            residual[i] = v - Widen(q);
            wire[i] = q;
        }
    }

    /// <summary><paramref name="wire"/> widened into <paramref name="gradient"/>.</summary>
    public static void Widen(ReadOnlySpan<ushort> wire, Span<float> gradient)
    {
        for (int i = 0; i < wire.Length; i++) gradient[i] = Widen(wire[i]);
    }

    /// <summary>The MPI sum: <paramref name="inout"/>[i] = round(<paramref name="input"/>[i] + <paramref name="inout"/>[i]).</summary>
    public static void Sum(ReadOnlySpan<ushort> input, Span<ushort> inout)
    {
        for (int i = 0; i < inout.Length; i++) inout[i] = Round(Widen(input[i]) + Widen(inout[i]));
    }

    /// <summary>MPI_User_function for MPI_Op_create over MPI_UNSIGNED_SHORT buffers holding bfloat16 bits.</summary>
    [UnmanagedCallersOnly]
    internal static void SumCallback(void* input, void* inout, int* length, int* datatype) =>
        Sum(new ReadOnlySpan<ushort>(input, *length), new Span<ushort>(inout, *length));

    /// <summary>The address MPI_Op_create takes.</summary>
    internal static nint SumFunction => (nint)(delegate* unmanaged<void*, void*, int*, int*, void>)&SumCallback;
}
