using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// 2×2, stride-2 max pooling of one float plane, 16 outputs at a time, without branches. The scalar loop
/// mispredicts about one compare in two on real activations, which made pooling cost as much as a
/// convolution in lenet5. Each window's four inputs are split into even and odd columns of its two rows
/// (vpermt2ps), then compared in row-major order with the scalar rules: a later input wins only when it is
/// greater, or when it is NaN and the current maximum is not (ties keep the first maximum; the first NaN wins).
/// </summary>
internal static class MaxPool2x2Avx512
{
    public static bool IsSupported => Avx512F.IsSupported;

    private static readonly Vector512<int> Evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);

    /// <summary>Max of each 2×2 window of <paramref name="plane"/>, with the winning input offset in <paramref name="argmax"/>.</summary>
    /// <param name="plane">One input plane, row-major.</param>
    /// <param name="width">Input row length; the output is <paramref name="outH"/> × <paramref name="outW"/>.</param>
    /// <param name="outH">Output rows.</param>
    /// <param name="outW">Output columns.</param>
    /// <param name="output">Receives the window maxima.</param>
    /// <param name="argmax">Receives each maximum's offset in the plane.</param>
    public static void Forward(ReadOnlySpan<float> plane, int width, int outH, int outW, Span<float> output, Span<int> argmax)
    {
        // Debug only, once per plane: full 16-output vectors are stored unchecked; the last window row ends here.
        Debug.Assert((long)outH * outW <= output.Length && (long)outH * outW <= argmax.Length, "MaxPool2x2Avx512 writes past the output");
        Debug.Assert(outH == 0 || (2L * outH - 1) * width + 2L * outW <= plane.Length, "MaxPool2x2Avx512 reads past the plane");
        var odds = Evens + Vector512<int>.One;
        Span<float> rows = stackalloc float[64];      // staged r0 | r1 for windows near the plane's end
        Span<float> stagedMax = stackalloc float[16];
        Span<int> stagedArg = stackalloc int[16];
        ref float p = ref MemoryMarshal.GetReference(plane);
        for (int oy = 0; oy < outH; oy++)
        {
            int top = 2 * oy * width;
            for (int ox = 0; ox < outW; ox += 16)
            {
                int count = Math.Min(16, outW - ox), at = top + 2 * ox;
                Vector512<float> r0a, r0b, r1a, r1b;
                if (at + width + 32 <= plane.Length)
                {
                    // Lanes past the row read the next row; their results are never stored.
                    r0a = Vector512.LoadUnsafe(ref p, (nuint)at);
                    r0b = Vector512.LoadUnsafe(ref p, (nuint)(at + 16));
                    r1a = Vector512.LoadUnsafe(ref p, (nuint)(at + width));
                    r1b = Vector512.LoadUnsafe(ref p, (nuint)(at + width + 16));
                }
                else
                {
                    rows.Clear();
                    plane.Slice(at, 2 * count).CopyTo(rows);
                    plane.Slice(at + width, 2 * count).CopyTo(rows[32..]);
                    r0a = Vector512.Create<float>(rows);
                    r0b = Vector512.Create<float>(rows[16..]);
                    r1a = Vector512.Create<float>(rows[32..]);
                    r1b = Vector512.Create<float>(rows[48..]);
                }
                var max = Avx512F.PermuteVar16x32x2(r0a, Evens, r0b);
                var arg = Vector512<int>.Zero;
                Take(ref max, ref arg, Avx512F.PermuteVar16x32x2(r0a, odds, r0b), 1);
                Take(ref max, ref arg, Avx512F.PermuteVar16x32x2(r1a, Evens, r1b), width);
                Take(ref max, ref arg, Avx512F.PermuteVar16x32x2(r1a, odds, r1b), width + 1);
                arg += Vector512.Create(at) + Evens;
                int o = oy * outW + ox;
                if (count == 16)
                {
                    max.StoreUnsafe(ref MemoryMarshal.GetReference(output), (nuint)o);
                    arg.StoreUnsafe(ref MemoryMarshal.GetReference(argmax), (nuint)o);
                }
                else
                {
                    max.CopyTo(stagedMax);
                    arg.CopyTo(stagedArg);
                    stagedMax[..count].CopyTo(output.Slice(o, count));
                    stagedArg[..count].CopyTo(argmax.Slice(o, count));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector512<float> max, ref Vector512<int> arg, Vector512<float> v, int offset)
    {
        var vIsNaN = ~Vector512.Equals(v, v);
        var maxIsNaN = ~Vector512.Equals(max, max);
        var take = Vector512.GreaterThan(v, max) | Vector512.AndNot(vIsNaN, maxIsNaN);
        max = Vector512.ConditionalSelect(take, v, max);
        arg = Vector512.ConditionalSelect(take.AsInt32(), Vector512.Create(offset), arg);
    }
}
