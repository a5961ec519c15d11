using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// The direct convolution with the 16 lanes running over output channels instead of along rows, for
/// channel counts that are a multiple of 16. Small planes (lenet5's conv2 has 10-wide rows) fill only part of
/// a row vector; 16 channels always fill one. Forward: 12 output positions × 16 channels in registers, each tap
/// one weight vector and 12 broadcast pixels, transposed to NCHW on the way out. Weight gradient: 12 taps ×
/// 16 channels in registers over the positions, reading G transposed to position-major, so the partials are
/// dWᵀ itself (K × O, no lanes to reduce).
/// </summary>
internal static unsafe class DirectConvChannels
{
    private const int Lanes = DirectConv.Lanes, Block = 12, PositionChunk = 64;

    /// <summary>
    /// For a multiple of 16 channels whose output rows fill row vectors poorly (under 85 %: lenet5's 10-wide
    /// conv2 fills 62 %). Wide rows stay with the row kernel, which needs no transpose (measured on the
    /// seed models' 122-wide conv2: the channel kernel's forward was no faster).
    /// </summary>
    public static bool Applies(int channels, int outWidth)
        => DirectConv.IsSupported && channels % Lanes == 0 && outWidth < 0.85 * Lanes * ((outWidth + Lanes - 1) / Lanes);

    /// <summary>Weights [O, K] as packed[(v·K + k)·16 + lane] = w[16v + lane, k]; with <paramref name="flip"/> the input-gradient weights (see <see cref="DirectConv.PackWeights"/>).</summary>
    public static void PackWeights(ReadOnlySpan<float> w, int outC, int inC, int kh, int kw, bool flip, Span<float> packed)
    {
        int rows = flip ? inC : outC, k = (flip ? outC : inC) * kh * kw;
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < k; t++)
            {
                int o = t / (kh * kw), ky = t / kw % kh, kx = t % kw;
                float v = flip ? w[((o * inC + r) * kh + (kh - 1 - ky)) * kw + (kw - 1 - kx)] : w[r * k + t];
                packed[((r / Lanes) * k + t) * Lanes + r % Lanes] = v;
            }
    }

    /// <summary>
    /// Debug only (the call and its arguments vanish in Release): <see cref="Forward"/> reads one float of x per
    /// (position, tap), 16·K weights and 16 biases per channel vector, and writes O·P outputs.
    /// </summary>
    [Conditional("DEBUG")]
    public static void AssertForwardBounds(DirectConv.Layout layout, int outC, int x, int packed, int bias, int output)
    {
        int k = layout.Taps.Length, positions = layout.PointIn.Length;
        Debug.Assert(outC % Lanes == 0, "DirectConvChannels needs a multiple of 16 channels");
        Debug.Assert(layout.PointIn.Max() + layout.Taps.Max() + 1 <= x, "DirectConvChannels.Forward reads past x");
        Debug.Assert((long)outC * k <= packed, "DirectConvChannels.Forward reads past the packed weights");
        Debug.Assert(bias == 0 || outC <= bias, "DirectConvChannels.Forward reads past the bias");
        Debug.Assert((long)outC * positions <= output, "DirectConvChannels.Forward writes past the output");
    }

    /// <summary>Debug only: <see cref="Transpose"/> and <see cref="WeightGrad"/> stay inside G (O·P), Gᵀ (P·O), x and the O·K partials.</summary>
    [Conditional("DEBUG")]
    public static void AssertWeightGradBounds(DirectConv.Layout layout, int outC, int x, int grad, int gradT, int partial)
    {
        long gradLength = (long)outC * layout.PointIn.Length;
        Debug.Assert(outC % Lanes == 0, "DirectConvChannels needs a multiple of 16 channels");
        Debug.Assert(gradLength <= grad && gradLength <= gradT, "DirectConvChannels.Transpose out of bounds");
        Debug.Assert(layout.PointIn.Max() + layout.Taps.Max() + 1 <= x, "DirectConvChannels.WeightGrad reads past x");
        Debug.Assert((long)outC * layout.Taps.Length <= partial, "DirectConvChannels.WeightGrad writes past the partials");
    }

    /// <summary>out[o, q] = Σ_k w[o, k] · x[q + tap k] (+ bias[o]) for one image, O a multiple of 16.</summary>
    public static void Forward(DirectConv.Layout layout, float* x, float* packed, float* bias, int outC, float* output)
    {
        int k = layout.Taps.Length, positions = layout.PointIn.Length;
        float* stage = stackalloc float[Block * Lanes];
        fixed (int* taps = layout.Taps, pin = layout.PointIn)
            for (int v = 0; v < outC / Lanes; v++)
            {
                var b = bias == null ? Vector512<float>.Zero : Vector512.Load(bias + v * Lanes);
                float* dst = output + v * Lanes * positions;
                for (int q = 0; q < positions; q += Block)
                {
                    int count = Math.Min(Block, positions - q);
                    // A short last block repeats its final position; only `count` are stored.
                    float* x0 = x + pin[q], x1 = x + pin[Math.Min(q + 1, positions - 1)], x2 = x + pin[Math.Min(q + 2, positions - 1)],
                        x3 = x + pin[Math.Min(q + 3, positions - 1)], x4 = x + pin[Math.Min(q + 4, positions - 1)], x5 = x + pin[Math.Min(q + 5, positions - 1)],
                        x6 = x + pin[Math.Min(q + 6, positions - 1)], x7 = x + pin[Math.Min(q + 7, positions - 1)], x8 = x + pin[Math.Min(q + 8, positions - 1)],
                        x9 = x + pin[Math.Min(q + 9, positions - 1)], x10 = x + pin[Math.Min(q + 10, positions - 1)], x11 = x + pin[Math.Min(q + 11, positions - 1)];
                    Vector512<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b, a8 = b, a9 = b, a10 = b, a11 = b;
                    float* w = packed + v * k * Lanes;
                    for (int t = 0; t < k; t++, w += Lanes)
                    {
                        nint off = taps[t];
                        var wv = Vector512.Load(w);
                        a0 = Avx512F.FusedMultiplyAdd(Vector512.Create(x0[off]), wv, a0);
                        a1 = Avx512F.FusedMultiplyAdd(Vector512.Create(x1[off]), wv, a1);
                        a2 = Avx512F.FusedMultiplyAdd(Vector512.Create(x2[off]), wv, a2);
                        a3 = Avx512F.FusedMultiplyAdd(Vector512.Create(x3[off]), wv, a3);
                        a4 = Avx512F.FusedMultiplyAdd(Vector512.Create(x4[off]), wv, a4);
                        a5 = Avx512F.FusedMultiplyAdd(Vector512.Create(x5[off]), wv, a5);
                        a6 = Avx512F.FusedMultiplyAdd(Vector512.Create(x6[off]), wv, a6);
                        a7 = Avx512F.FusedMultiplyAdd(Vector512.Create(x7[off]), wv, a7);
                        a8 = Avx512F.FusedMultiplyAdd(Vector512.Create(x8[off]), wv, a8);
                        a9 = Avx512F.FusedMultiplyAdd(Vector512.Create(x9[off]), wv, a9);
                        a10 = Avx512F.FusedMultiplyAdd(Vector512.Create(x10[off]), wv, a10);
                        a11 = Avx512F.FusedMultiplyAdd(Vector512.Create(x11[off]), wv, a11);
                    }
                    a0.Store(stage); a1.Store(stage + Lanes); a2.Store(stage + 2 * Lanes); a3.Store(stage + 3 * Lanes);
                    a4.Store(stage + 4 * Lanes); a5.Store(stage + 5 * Lanes); a6.Store(stage + 6 * Lanes); a7.Store(stage + 7 * Lanes);
                    a8.Store(stage + 8 * Lanes); a9.Store(stage + 9 * Lanes); a10.Store(stage + 10 * Lanes); a11.Store(stage + 11 * Lanes);
                    // Position-major registers to channel-major NCHW: output positions are consecutive.
                    for (int lane = 0; lane < Lanes; lane++)
                    {
                        float* row = dst + lane * positions + q;
                        for (int i = 0; i < count; i++) row[i] = stage[i * Lanes + lane];
                    }
                }
            }
    }

    /// <summary>G [O, P] of one image to position-major [P, O].</summary>
    public static void Transpose(float* grad, int outC, int positions, float* transposed)
    {
        for (int o = 0; o < outC; o++)
            for (int q = 0; q < positions; q++) transposed[q * outC + o] = grad[o * positions + q];
    }

    /// <summary>partial[(v·K + t)·16 + lane] += Σ_q Gᵀ[q, 16v + lane] · x[q + tap t] for one image; Gᵀ from <see cref="Transpose"/>.</summary>
    public static void WeightGrad(DirectConv.Layout layout, float* x, float* gradT, int outC, float* partial)
    {
        int k = layout.Taps.Length, positions = layout.PointIn.Length;
        fixed (int* taps = layout.Taps, pin = layout.PointIn)
            for (int first = 0; first < positions; first += PositionChunk)
            {
                int end = Math.Min(positions, first + PositionChunk);
                for (int v = 0; v < outC / Lanes; v++)
                {
                    float* g = gradT + v * Lanes;
                    float* acc = partial + v * k * Lanes;
                    int t = 0;
                    for (; t + Block <= k; t += Block)
                    {
                        float* r = acc + t * Lanes;
                        Vector512<float> s0 = Vector512.Load(r), s1 = Vector512.Load(r + Lanes), s2 = Vector512.Load(r + 2 * Lanes), s3 = Vector512.Load(r + 3 * Lanes),
                            s4 = Vector512.Load(r + 4 * Lanes), s5 = Vector512.Load(r + 5 * Lanes), s6 = Vector512.Load(r + 6 * Lanes), s7 = Vector512.Load(r + 7 * Lanes),
                            s8 = Vector512.Load(r + 8 * Lanes), s9 = Vector512.Load(r + 9 * Lanes), s10 = Vector512.Load(r + 10 * Lanes), s11 = Vector512.Load(r + 11 * Lanes);
                        nint d0 = taps[t], d1 = taps[t + 1], d2 = taps[t + 2], d3 = taps[t + 3], d4 = taps[t + 4], d5 = taps[t + 5],
                            d6 = taps[t + 6], d7 = taps[t + 7], d8 = taps[t + 8], d9 = taps[t + 9], d10 = taps[t + 10], d11 = taps[t + 11];
                        for (int q = first; q < end; q++)
                        {
                            var gv = Vector512.Load(g + q * outC);
                            float* xq = x + pin[q];
                            s0 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d0]), gv, s0);
                            s1 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d1]), gv, s1);
                            s2 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d2]), gv, s2);
                            s3 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d3]), gv, s3);
                            s4 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d4]), gv, s4);
                            s5 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d5]), gv, s5);
                            s6 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d6]), gv, s6);
                            s7 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d7]), gv, s7);
                            s8 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d8]), gv, s8);
                            s9 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d9]), gv, s9);
                            s10 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d10]), gv, s10);
                            s11 = Avx512F.FusedMultiplyAdd(Vector512.Create(xq[d11]), gv, s11);
                        }
                        s0.Store(r); s1.Store(r + Lanes); s2.Store(r + 2 * Lanes); s3.Store(r + 3 * Lanes);
                        s4.Store(r + 4 * Lanes); s5.Store(r + 5 * Lanes); s6.Store(r + 6 * Lanes); s7.Store(r + 7 * Lanes);
                        s8.Store(r + 8 * Lanes); s9.Store(r + 9 * Lanes); s10.Store(r + 10 * Lanes); s11.Store(r + 11 * Lanes);
                    }
                    for (; t < k; t++)
                    {
                        float* r = acc + t * Lanes;
                        var s = Vector512.Load(r);
                        nint d = taps[t];
                        for (int q = first; q < end; q++)
                            s = Avx512F.FusedMultiplyAdd(Vector512.Create(x[pin[q] + d]), Vector512.Load(g + q * outC), s);
                        s.Store(r);
                    }
                }
            }
    }

    /// <summary>dw[o, t] = Σ_slots partial[slot][(v·K + t)·16 + lane] with o = 16v + lane, slots summed in order.</summary>
    public static void ReducePartials(float[] partials, int slots, int outC, int k, Span<float> dw)
    {
        int stride = outC * k;
        for (int v = 0; v < outC / Lanes; v++)
            for (int t = 0; t < k; t++)
                for (int lane = 0; lane < Lanes; lane++)
                {
                    int at = (v * k + t) * Lanes + lane;
                    float s = partials[at];
                    for (int slot = 1; slot < slots; slot++) s += partials[slot * stride + at];
                    dw[(v * Lanes + lane) * k + t] = s;
                }
    }
}
