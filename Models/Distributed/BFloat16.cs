using System.Numerics;
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
        int i = 0, w = Vector<float>.Count;
        for (; i + 2 * w <= wire.Length; i += 2 * w)
        {
            var v0 = new Vector<float>(gradient[i..]) * scale + new Vector<float>(residual[i..]);
            var v1 = new Vector<float>(gradient[(i + w)..]) * scale + new Vector<float>(residual[(i + w)..]);
            var q = Vector.Narrow(Round(v0), Round(v1));
            Vector.Widen(q, out var h0, out var h1);
            (v0 - Widen(h0)).CopyTo(residual[i..]);
            (v1 - Widen(h1)).CopyTo(residual[(i + w)..]);
            q.CopyTo(wire[i..]);
        }
        for (; i < wire.Length; i++)
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
        int i = 0, w = Vector<float>.Count;
        for (; i + 2 * w <= wire.Length; i += 2 * w)
        {
            Vector.Widen(new Vector<ushort>(wire[i..]), out var h0, out var h1);
            Widen(h0).CopyTo(gradient[i..]);
            Widen(h1).CopyTo(gradient[(i + w)..]);
        }
        for (; i < wire.Length; i++) gradient[i] = Widen(wire[i]);
    }

    /// <summary>The MPI sum: <paramref name="inout"/>[i] = round(<paramref name="input"/>[i] + <paramref name="inout"/>[i]).</summary>
    public static void Sum(ReadOnlySpan<ushort> input, Span<ushort> inout)
    {
        int i = 0, w = Vector<ushort>.Count;
        for (; i + w <= inout.Length; i += w)
        {
            Vector.Widen(new Vector<ushort>(input[i..]), out var a0, out var a1);
            Vector.Widen(new Vector<ushort>(inout[i..]), out var b0, out var b1);
            Vector.Narrow(Round(Widen(a0) + Widen(b0)), Round(Widen(a1) + Widen(b1))).CopyTo(inout[i..]);
        }
        for (; i < inout.Length; i++) inout[i] = Round(Widen(input[i]) + Widen(inout[i]));
    }

    // The scalar routines lane by lane: the same integer arithmetic, so the same bits.
    private static Vector<uint> Round(Vector<float> x)
    {
        var bits = Vector.AsVectorUInt32(x);
        var nan = Vector.GreaterThan(bits & new Vector<uint>(0x7FFF_FFFF), new Vector<uint>(0x7F80_0000));
        var rounded = (bits + new Vector<uint>(0x7FFF) + ((bits >> 16) & Vector<uint>.One)) >> 16;
        return Vector.ConditionalSelect(nan, (bits >> 16) | new Vector<uint>(0x40), rounded);
    }

    private static Vector<float> Widen(Vector<uint> h) => Vector.AsVectorSingle(h << 16);

    /// <summary>MPI_User_function for MPI_Op_create over MPI_UNSIGNED_SHORT buffers holding bfloat16 bits.</summary>
    [UnmanagedCallersOnly]
    internal static void SumCallback(void* input, void* inout, int* length, int* datatype) =>
        Sum(new ReadOnlySpan<ushort>(input, *length), new Span<ushort>(inout, *length));

    /// <summary>The address MPI_Op_create takes.</summary>
    internal static nint SumFunction => (nint)(delegate* unmanaged<void*, void*, int*, int*, void>)&SumCallback;
}
