using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// Stride-1 float convolution computed straight from the (padded) image with AVX-512, no im2col: the
/// small-channel convolutions of the LeNets spend more time unfolding and packing than multiplying. An
/// output plane is covered by 16-wide vectors along its rows (the last one of a row masked); a register
/// block of 4 such vectors × 6 output channels (24 accumulators; 3 for a remainder) runs over the C·kh·kw taps,
/// each tap one unaligned load per vector and one broadcast weight per channel. The input gradient is the same kernel
/// on the upstream gradient padded by k−1−p with the weights flipped and transposed. The weight gradient
/// sums G·x over the same vectors into one 16-lane partial per (o, tap), reduced once at the end, in blocks of
/// 6 (or 3) channels × 4 taps. Wider blocks cut the loads per FMA (split unaligned loads had set the pace); an
/// accumulator's terms are added in the same order whatever the block, so the block sizes never change a bit.
/// <para>In forward, lanes past a row's end compute on neighbouring pixels (of the same tensor, or zero slack)
/// and are never stored. The weight gradient masks both its G and its input loads: a masked-off ∞ or NaN pixel
/// times a zeroed G lane would still make NaN, in weights the pixel does not touch. Every step has a fixed
/// order that depends only on the shapes, so results do not depend on the thread count.</para>
/// </summary>
internal static unsafe class DirectConv
{
    public const int Lanes = 16;
    private const int ChannelBlock = 3, VectorBlock = 4;

    public static bool IsSupported => Avx512F.IsSupported;

    internal static readonly Vector512<float>[] Masks = Enumerable.Range(0, Lanes + 1)
        .Select(n => Vector512.Create(Enumerable.Range(0, Lanes).Select(i => i < n ? -1 : 0).ToArray()).AsSingle()).ToArray();

    private static readonly ConcurrentDictionary<(int C, int Hp, int Wp, int Kh, int Kw), Layout> Layouts = new();

    /// <summary>Geometry of a stride-1 convolution over a padded plane Hp×Wp: its taps and output vectors.</summary>
    public sealed class Layout
    {
        public Layout(int channels, int hp, int wp, int kh, int kw)
        {
            (Channels, PaddedH, PaddedW, OutH, OutW) = (channels, hp, wp, hp - kh + 1, wp - kw + 1);
            Taps = new int[channels * kh * kw];
            int t = 0;
            for (int c = 0; c < channels; c++)
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++) Taps[t++] = c * hp * wp + ky * wp + kx;
            var (input, output, count) = (new List<int>(), new List<int>(), new List<int>());
            for (int y = 0; y < OutH; y++)
                for (int x = 0; x < OutW; x += Lanes)
                {
                    input.Add(y * wp + x);
                    output.Add(y * OutW + x);
                    count.Add(Math.Min(Lanes, OutW - x));
                }
            (In, Out, Count) = (input.ToArray(), output.ToArray(), count.ToArray());
            PointIn = new int[OutH * OutW];
            for (int q = 0; q < PointIn.Length; q++) PointIn[q] = q / OutW * wp + q % OutW;
        }

        /// <summary>Per output position q (row-major): its offset in the padded plane.</summary>
        public int[] PointIn { get; }

        public int Channels { get; }
        public int PaddedH { get; }
        public int PaddedW { get; }
        public int OutH { get; }
        public int OutW { get; }
        /// <summary>Offset of each tap (c, ky, kx) from a position in the padded image.</summary>
        public int[] Taps { get; }
        /// <summary>Per output vector: its first element in the padded plane, in the output plane, and its valid lanes.</summary>
        public int[] In { get; }
        public int[] Out { get; }
        public int[] Count { get; }
        /// <summary>Floats a padded image needs, with slack for the lanes past the last row.</summary>
        public int PaddedLength => Channels * PaddedH * PaddedW + 2 * Lanes;
    }

    public static Layout LayoutOf(int channels, int hp, int wp, int kh, int kw)
        => Layouts.GetOrAdd((channels, hp, wp, kh, kw), k => new Layout(k.C, k.Hp, k.Wp, k.Kh, k.Kw));

    /// <summary>Copies a C×H×W image into a zeroed Hp×Wp frame at (padH, padW), slack included.</summary>
    public static void Pad(ReadOnlySpan<float> image, int channels, int h, int w, int padH, int padW, Layout layout, Span<float> padded)
    {
        padded[..layout.PaddedLength].Clear();
        int hp = layout.PaddedH, wp = layout.PaddedW;
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < h; y++)
                image.Slice((c * h + y) * w, w).CopyTo(padded.Slice(c * hp * wp + (y + padH) * wp + padW, w));
    }

    /// <summary>
    /// Weights [O, K] (K = C·kh·kw) as blocks of 3 channels, tap-major: packed[(b·K + k)·3 + i] = w[3b + i, k],
    /// zero past O. With <paramref name="flip"/>, packs the input-gradient weights instead: from w [O, C, kh, kw]
    /// the [C, O·kh·kw] matrix w'[c, (o, ky, kx)] = w[o, c, kh−1−ky, kw−1−kx].
    /// </summary>
    public static void PackWeights(ReadOnlySpan<float> w, int outC, int inC, int kh, int kw, bool flip, Span<float> packed)
    {
        int rows = flip ? inC : outC, k = (flip ? outC : inC) * kh * kw, blocks = (rows + ChannelBlock - 1) / ChannelBlock;
        packed[..(blocks * k * ChannelBlock)].Clear();
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < k; t++)
            {
                float v;
                if (!flip) v = w[r * k + t];
                else
                {
                    int o = t / (kh * kw), ky = t / kw % kh, kx = t % kw;
                    v = w[((o * inC + r) * kh + (kh - 1 - ky)) * kw + (kw - 1 - kx)];
                }
                packed[((r / ChannelBlock) * k + t) * ChannelBlock + r % ChannelBlock] = v;
            }
    }

    public static int PackedLength(int rows, int k) => (rows + ChannelBlock - 1) / ChannelBlock * k * ChannelBlock;

    /// <summary>
    /// Debug only (the call and its arguments vanish in Release): the furthest float <see cref="Forward"/> reads
    /// from each pointer and writes to <paramref name="output"/> lies inside the lengths the caller pinned. Every
    /// vector reads 16 lanes from x, past a row's end too; stores are masked to the row.
    /// </summary>
    [Conditional("DEBUG")]
    public static void AssertForwardBounds(Layout layout, int outC, int x, int packed, int bias, int output)
    {
        int plane = layout.OutH * layout.OutW;
        Debug.Assert(layout.In.Max() + layout.Taps.Max() + Lanes <= x, "DirectConv.Forward reads past x");
        Debug.Assert(PackedLength(outC, layout.Taps.Length) <= packed, "DirectConv.Forward reads past the packed weights");
        Debug.Assert(bias == 0 || outC <= bias, "DirectConv.Forward reads past the bias");
        Debug.Assert((outC - 1) * plane + MaxEnd(layout.Out, layout.Count) <= output && MaxEnd(layout.Out, layout.Count) <= plane,
            "DirectConv.Forward writes past the output");
    }

    /// <summary>
    /// Debug only: <see cref="WeightGrad(Layout, float*, float*, int, float*)"/> reads x and G only under each vector's
    /// mask (so up to its valid lanes), and reads and writes outC·K·16 partials.
    /// </summary>
    [Conditional("DEBUG")]
    public static void AssertWeightGradBounds(Layout layout, int outC, int x, int grad, int partial)
    {
        int plane = layout.OutH * layout.OutW;
        Debug.Assert(MaxEnd(layout.In, layout.Count) + layout.Taps.Max() <= x, "DirectConv.WeightGrad reads past x");
        Debug.Assert((outC - 1) * plane + MaxEnd(layout.Out, layout.Count) <= grad, "DirectConv.WeightGrad reads past G");
        Debug.Assert((long)outC * layout.Taps.Length * Lanes <= partial, "DirectConv.WeightGrad writes past the partials");
    }

    /// <summary>max over vectors of start + valid lanes: one past the furthest element a masked access touches.</summary>
    private static int MaxEnd(int[] start, int[] count) => start.Select((at, i) => at + count[i]).Max();

    /// <summary>out[o] = Σ_k w[o, k] · x[position + tap k] (+ bias[o]) for one image; <paramref name="x"/> is padded per <paramref name="layout"/>.</summary>
    public static void Forward(Layout layout, float* x, float* packed, float* bias, int outC, float* output)
    {
        int k = layout.Taps.Length, positions = layout.In.Length, plane = layout.OutH * layout.OutW;
        int blocks = (outC + ChannelBlock - 1) / ChannelBlock;
        fixed (int* taps = layout.Taps, pin = layout.In, pout = layout.Out, pcount = layout.Count)
            for (int p = 0; p < positions; p += VectorBlock)
            {
                // A short last block repeats its final vector: the duplicate stores equal values.
                int p1 = Math.Min(p + 1, positions - 1), p2 = Math.Min(p + 2, positions - 1), p3 = Math.Min(p + 3, positions - 1);
                float* x0 = x + pin[p], x1 = x + pin[p1], x2 = x + pin[p2], x3 = x + pin[p3];
                // Pairs of full channel blocks first: 4 vectors × 6 channels (24 accumulators), 4 loads and 6 broadcasts
                // per 24 FMAs, against 7 per 12 in a single block; each accumulator still sums its taps in order.
                int pairs = outC / WideChannelBlock;
                for (int b = 0; b < pairs; b++)
                    ForwardPair(x0, x1, x2, x3, packed + 2 * b * k * ChannelBlock, bias, b * WideChannelBlock, k, taps, output, plane, pout, pcount, p, p1, p2, p3);
                for (int b = 2 * pairs; b < blocks; b++)
                {
                    int o = b * ChannelBlock;
                    float* w = packed + b * k * ChannelBlock;
                    var a00 = Bias(bias, o, outC);
                    var a10 = Bias(bias, o + 1, outC);
                    var a20 = Bias(bias, o + 2, outC);
                    Vector512<float> a01 = a00, a02 = a00, a03 = a00, a11 = a10, a12 = a10, a13 = a10, a21 = a20, a22 = a20, a23 = a20;
                    for (int t = 0; t < k; t++, w += ChannelBlock)
                    {
                        int off = taps[t];
                        var v0 = Vector512.Load(x0 + off);
                        var v1 = Vector512.Load(x1 + off);
                        var v2 = Vector512.Load(x2 + off);
                        var v3 = Vector512.Load(x3 + off);
                        var w0 = Vector512.Create(w[0]);
                        a00 = Avx512F.FusedMultiplyAdd(v0, w0, a00); a01 = Avx512F.FusedMultiplyAdd(v1, w0, a01);
                        a02 = Avx512F.FusedMultiplyAdd(v2, w0, a02); a03 = Avx512F.FusedMultiplyAdd(v3, w0, a03);
                        var w1 = Vector512.Create(w[1]);
                        a10 = Avx512F.FusedMultiplyAdd(v0, w1, a10); a11 = Avx512F.FusedMultiplyAdd(v1, w1, a11);
                        a12 = Avx512F.FusedMultiplyAdd(v2, w1, a12); a13 = Avx512F.FusedMultiplyAdd(v3, w1, a13);
                        var w2 = Vector512.Create(w[2]);
                        a20 = Avx512F.FusedMultiplyAdd(v0, w2, a20); a21 = Avx512F.FusedMultiplyAdd(v1, w2, a21);
                        a22 = Avx512F.FusedMultiplyAdd(v2, w2, a22); a23 = Avx512F.FusedMultiplyAdd(v3, w2, a23);
                    }
                    float* dst = output + o * plane;
                    Store4(dst, pout, pcount, p, p1, p2, p3, a00, a01, a02, a03);
                    if (o + 1 < outC) Store4(dst + plane, pout, pcount, p, p1, p2, p3, a10, a11, a12, a13);
                    if (o + 2 < outC) Store4(dst + 2 * plane, pout, pcount, p, p1, p2, p3, a20, a21, a22, a23);
                }
            }
    }

    /// <summary>Channels [o, o + 6) at 4 output vectors: two consecutive packed 3-channel blocks read side by side.</summary>
    private static void ForwardPair(float* x0, float* x1, float* x2, float* x3, float* wa, float* bias, int o, int k, int* taps,
        float* output, int plane, int* pout, int* pcount, int p, int p1, int p2, int p3)
    {
        float* wb = wa + k * ChannelBlock;
        Vector512<float> a00 = Bias(bias, o, o + WideChannelBlock), a10 = Bias(bias, o + 1, o + WideChannelBlock), a20 = Bias(bias, o + 2, o + WideChannelBlock);
        Vector512<float> a30 = Bias(bias, o + 3, o + WideChannelBlock), a40 = Bias(bias, o + 4, o + WideChannelBlock), a50 = Bias(bias, o + 5, o + WideChannelBlock);
        Vector512<float> a01 = a00, a02 = a00, a03 = a00, a11 = a10, a12 = a10, a13 = a10, a21 = a20, a22 = a20, a23 = a20;
        Vector512<float> a31 = a30, a32 = a30, a33 = a30, a41 = a40, a42 = a40, a43 = a40, a51 = a50, a52 = a50, a53 = a50;
        for (int t = 0; t < k; t++, wa += ChannelBlock, wb += ChannelBlock)
        {
            int off = taps[t];
            var v0 = Vector512.Load(x0 + off);
            var v1 = Vector512.Load(x1 + off);
            var v2 = Vector512.Load(x2 + off);
            var v3 = Vector512.Load(x3 + off);
            var w = Vector512.Create(wa[0]);
            a00 = Avx512F.FusedMultiplyAdd(v0, w, a00); a01 = Avx512F.FusedMultiplyAdd(v1, w, a01);
            a02 = Avx512F.FusedMultiplyAdd(v2, w, a02); a03 = Avx512F.FusedMultiplyAdd(v3, w, a03);
            w = Vector512.Create(wa[1]);
            a10 = Avx512F.FusedMultiplyAdd(v0, w, a10); a11 = Avx512F.FusedMultiplyAdd(v1, w, a11);
            a12 = Avx512F.FusedMultiplyAdd(v2, w, a12); a13 = Avx512F.FusedMultiplyAdd(v3, w, a13);
            w = Vector512.Create(wa[2]);
            a20 = Avx512F.FusedMultiplyAdd(v0, w, a20); a21 = Avx512F.FusedMultiplyAdd(v1, w, a21);
            a22 = Avx512F.FusedMultiplyAdd(v2, w, a22); a23 = Avx512F.FusedMultiplyAdd(v3, w, a23);
            w = Vector512.Create(wb[0]);
            a30 = Avx512F.FusedMultiplyAdd(v0, w, a30); a31 = Avx512F.FusedMultiplyAdd(v1, w, a31);
            a32 = Avx512F.FusedMultiplyAdd(v2, w, a32); a33 = Avx512F.FusedMultiplyAdd(v3, w, a33);
            w = Vector512.Create(wb[1]);
            a40 = Avx512F.FusedMultiplyAdd(v0, w, a40); a41 = Avx512F.FusedMultiplyAdd(v1, w, a41);
            a42 = Avx512F.FusedMultiplyAdd(v2, w, a42); a43 = Avx512F.FusedMultiplyAdd(v3, w, a43);
            w = Vector512.Create(wb[2]);
            a50 = Avx512F.FusedMultiplyAdd(v0, w, a50); a51 = Avx512F.FusedMultiplyAdd(v1, w, a51);
            a52 = Avx512F.FusedMultiplyAdd(v2, w, a52); a53 = Avx512F.FusedMultiplyAdd(v3, w, a53);
        }
        float* dst = output + o * plane;
        Store4(dst, pout, pcount, p, p1, p2, p3, a00, a01, a02, a03);
        Store4(dst + plane, pout, pcount, p, p1, p2, p3, a10, a11, a12, a13);
        Store4(dst + 2 * plane, pout, pcount, p, p1, p2, p3, a20, a21, a22, a23);
        Store4(dst + 3 * plane, pout, pcount, p, p1, p2, p3, a30, a31, a32, a33);
        Store4(dst + 4 * plane, pout, pcount, p, p1, p2, p3, a40, a41, a42, a43);
        Store4(dst + 5 * plane, pout, pcount, p, p1, p2, p3, a50, a51, a52, a53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Bias(float* bias, int o, int outC) => bias != null && o < outC ? Vector512.Create(bias[o]) : Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(float* dst, int* pout, int* pcount, int p0, int p1, int p2, int p3,
        Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        Store(dst + pout[p0], v0, pcount[p0]);
        Store(dst + pout[p1], v1, pcount[p1]);
        Store(dst + pout[p2], v2, pcount[p2]);
        Store(dst + pout[p3], v3, pcount[p3]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* dst, Vector512<float> v, int count)
    {
        if (count == Lanes) v.Store(dst);
        else Avx512F.MaskStore(dst, Masks[count], v);
    }

    /// <summary>
    /// Adds one image's weight-gradient terms to 16-lane partials: partial[(o·K + t)·16 + lane] += G[o, vector] · x[vector + tap t],
    /// G's lanes past a row's end read as zero. Reduce with <see cref="ReducePartials"/>.
    /// </summary>
    public static void WeightGrad(Layout layout, float* x, float* grad, int outC, float* partial)
    {
        // A chunk of output vectors keeps its input rows and G rows in L1 while every (o, tap) block runs over
        // it; one pass per block over the whole image would stream both from L2 for each block.
        for (int p = 0; p < layout.In.Length; p += PositionChunk)
            WeightGrad(layout, x, grad, outC, partial, p, Math.Min(layout.In.Length, p + PositionChunk));
    }

    private const int PositionChunk = 32;

    private static void WeightGrad(Layout layout, float* x, float* grad, int outC, float* partial, int first, int end)
    {
        int k = layout.Taps.Length, plane = layout.OutH * layout.OutW, fullBlocks = outC / ChannelBlock;
        fixed (int* taps = layout.Taps, pin = layout.In, pout = layout.Out, pcount = layout.Count)
        {
            // 6 channels × 4 taps first (24 accumulators): each loaded G vector serves 4 taps and each input vector
            // 6 channels, 10 loads (unaligned, mostly split across cache lines) per 24 FMAs, so the FMAs set the pace.
            // Blocking never changes an accumulator's order of terms, so every block size gives the same bits.
            int wideBlocks = outC / WideChannelBlock;
            for (int b = 0; b < wideBlocks; b++)
                WideBlock(x, grad, partial, b * WideChannelBlock, k, plane, taps, pin, pout, pcount, first, end);
            // The rest in 3 channels × 4 taps (7 loads per 12 FMAs).
            for (int b = wideBlocks * WideChannelBlock / ChannelBlock; b < fullBlocks; b++)
            {
                int o = b * ChannelBlock;
                float* g0 = grad + o * plane, g1 = g0 + plane, g2 = g1 + plane;
                int t = 0;
                for (; t + WeightTapBlock <= k; t += WeightTapBlock)
                {
                    float* r0 = partial + (o * k + t) * Lanes, r1 = r0 + k * Lanes, r2 = r1 + k * Lanes;
                    var (s00, s01, s02, s03) = (Vector512.Load(r0), Vector512.Load(r0 + Lanes), Vector512.Load(r0 + 2 * Lanes), Vector512.Load(r0 + 3 * Lanes));
                    var (s10, s11, s12, s13) = (Vector512.Load(r1), Vector512.Load(r1 + Lanes), Vector512.Load(r1 + 2 * Lanes), Vector512.Load(r1 + 3 * Lanes));
                    var (s20, s21, s22, s23) = (Vector512.Load(r2), Vector512.Load(r2 + Lanes), Vector512.Load(r2 + 2 * Lanes), Vector512.Load(r2 + 3 * Lanes));
                    nint d0 = taps[t], d1 = taps[t + 1], d2 = taps[t + 2], d3 = taps[t + 3];
                    for (int p = first; p < end; p++)
                    {
                        var mask = Masks[pcount[p]];
                        nint at = pout[p];
                        var gv0 = Avx512F.MaskLoad(g0 + at, mask, Vector512<float>.Zero);
                        var gv1 = Avx512F.MaskLoad(g1 + at, mask, Vector512<float>.Zero);
                        var gv2 = Avx512F.MaskLoad(g2 + at, mask, Vector512<float>.Zero);
                        float* xp = x + pin[p];
                        var v = Avx512F.MaskLoad(xp + d0, mask, Vector512<float>.Zero);
                        s00 = Avx512F.FusedMultiplyAdd(gv0, v, s00); s10 = Avx512F.FusedMultiplyAdd(gv1, v, s10); s20 = Avx512F.FusedMultiplyAdd(gv2, v, s20);
                        v = Avx512F.MaskLoad(xp + d1, mask, Vector512<float>.Zero);
                        s01 = Avx512F.FusedMultiplyAdd(gv0, v, s01); s11 = Avx512F.FusedMultiplyAdd(gv1, v, s11); s21 = Avx512F.FusedMultiplyAdd(gv2, v, s21);
                        v = Avx512F.MaskLoad(xp + d2, mask, Vector512<float>.Zero);
                        s02 = Avx512F.FusedMultiplyAdd(gv0, v, s02); s12 = Avx512F.FusedMultiplyAdd(gv1, v, s12); s22 = Avx512F.FusedMultiplyAdd(gv2, v, s22);
                        v = Avx512F.MaskLoad(xp + d3, mask, Vector512<float>.Zero);
                        s03 = Avx512F.FusedMultiplyAdd(gv0, v, s03); s13 = Avx512F.FusedMultiplyAdd(gv1, v, s13); s23 = Avx512F.FusedMultiplyAdd(gv2, v, s23);
                    }
                    s00.Store(r0); s01.Store(r0 + Lanes); s02.Store(r0 + 2 * Lanes); s03.Store(r0 + 3 * Lanes);
                    s10.Store(r1); s11.Store(r1 + Lanes); s12.Store(r1 + 2 * Lanes); s13.Store(r1 + 3 * Lanes);
                    s20.Store(r2); s21.Store(r2 + Lanes); s22.Store(r2 + 2 * Lanes); s23.Store(r2 + 3 * Lanes);
                }
                for (int i = 0; i < ChannelBlock; i++) SingleTaps(x, grad + (o + i) * plane, partial + (o + i) * k * Lanes, taps, t, k, pin, pout, pcount, first, end);
            }
            for (int o = fullBlocks * ChannelBlock; o < outC; o++) SingleTaps(x, grad + o * plane, partial + o * k * Lanes, taps, 0, k, pin, pout, pcount, first, end);
        }
    }

    private const int WeightTapBlock = 4, WideChannelBlock = 2 * ChannelBlock;

    /// <summary>Channels [o, o + 6) of <see cref="WeightGrad(Layout, float*, float*, int, float*, int, int)"/>: 6 channels × 4 taps in registers, the single taps after.</summary>
    private static void WideBlock(float* x, float* grad, float* partial, int o, int k, int plane, int* taps, int* pin, int* pout, int* pcount, int first, int end)
    {
        float* g0 = grad + o * plane, g1 = g0 + plane, g2 = g1 + plane, g3 = g2 + plane, g4 = g3 + plane, g5 = g4 + plane;
        int t = 0;
        for (; t + WeightTapBlock <= k; t += WeightTapBlock)
        {
            float* r0 = partial + (o * k + t) * Lanes, r1 = r0 + k * Lanes, r2 = r1 + k * Lanes, r3 = r2 + k * Lanes, r4 = r3 + k * Lanes, r5 = r4 + k * Lanes;
            var (s00, s01, s02, s03) = (Vector512.Load(r0), Vector512.Load(r0 + Lanes), Vector512.Load(r0 + 2 * Lanes), Vector512.Load(r0 + 3 * Lanes));
            var (s10, s11, s12, s13) = (Vector512.Load(r1), Vector512.Load(r1 + Lanes), Vector512.Load(r1 + 2 * Lanes), Vector512.Load(r1 + 3 * Lanes));
            var (s20, s21, s22, s23) = (Vector512.Load(r2), Vector512.Load(r2 + Lanes), Vector512.Load(r2 + 2 * Lanes), Vector512.Load(r2 + 3 * Lanes));
            var (s30, s31, s32, s33) = (Vector512.Load(r3), Vector512.Load(r3 + Lanes), Vector512.Load(r3 + 2 * Lanes), Vector512.Load(r3 + 3 * Lanes));
            var (s40, s41, s42, s43) = (Vector512.Load(r4), Vector512.Load(r4 + Lanes), Vector512.Load(r4 + 2 * Lanes), Vector512.Load(r4 + 3 * Lanes));
            var (s50, s51, s52, s53) = (Vector512.Load(r5), Vector512.Load(r5 + Lanes), Vector512.Load(r5 + 2 * Lanes), Vector512.Load(r5 + 3 * Lanes));
            nint d0 = taps[t], d1 = taps[t + 1], d2 = taps[t + 2], d3 = taps[t + 3];
            for (int p = first; p < end; p++)
            {
                var mask = Masks[pcount[p]];
                nint at = pout[p];
                var gv0 = Avx512F.MaskLoad(g0 + at, mask, Vector512<float>.Zero);
                var gv1 = Avx512F.MaskLoad(g1 + at, mask, Vector512<float>.Zero);
                var gv2 = Avx512F.MaskLoad(g2 + at, mask, Vector512<float>.Zero);
                var gv3 = Avx512F.MaskLoad(g3 + at, mask, Vector512<float>.Zero);
                var gv4 = Avx512F.MaskLoad(g4 + at, mask, Vector512<float>.Zero);
                var gv5 = Avx512F.MaskLoad(g5 + at, mask, Vector512<float>.Zero);
                float* xp = x + pin[p];
                var v = Avx512F.MaskLoad(xp + d0, mask, Vector512<float>.Zero);
                s00 = Avx512F.FusedMultiplyAdd(gv0, v, s00); s10 = Avx512F.FusedMultiplyAdd(gv1, v, s10); s20 = Avx512F.FusedMultiplyAdd(gv2, v, s20);
                s30 = Avx512F.FusedMultiplyAdd(gv3, v, s30); s40 = Avx512F.FusedMultiplyAdd(gv4, v, s40); s50 = Avx512F.FusedMultiplyAdd(gv5, v, s50);
                v = Avx512F.MaskLoad(xp + d1, mask, Vector512<float>.Zero);
                s01 = Avx512F.FusedMultiplyAdd(gv0, v, s01); s11 = Avx512F.FusedMultiplyAdd(gv1, v, s11); s21 = Avx512F.FusedMultiplyAdd(gv2, v, s21);
                s31 = Avx512F.FusedMultiplyAdd(gv3, v, s31); s41 = Avx512F.FusedMultiplyAdd(gv4, v, s41); s51 = Avx512F.FusedMultiplyAdd(gv5, v, s51);
                v = Avx512F.MaskLoad(xp + d2, mask, Vector512<float>.Zero);
                s02 = Avx512F.FusedMultiplyAdd(gv0, v, s02); s12 = Avx512F.FusedMultiplyAdd(gv1, v, s12); s22 = Avx512F.FusedMultiplyAdd(gv2, v, s22);
                s32 = Avx512F.FusedMultiplyAdd(gv3, v, s32); s42 = Avx512F.FusedMultiplyAdd(gv4, v, s42); s52 = Avx512F.FusedMultiplyAdd(gv5, v, s52);
                v = Avx512F.MaskLoad(xp + d3, mask, Vector512<float>.Zero);
                s03 = Avx512F.FusedMultiplyAdd(gv0, v, s03); s13 = Avx512F.FusedMultiplyAdd(gv1, v, s13); s23 = Avx512F.FusedMultiplyAdd(gv2, v, s23);
                s33 = Avx512F.FusedMultiplyAdd(gv3, v, s33); s43 = Avx512F.FusedMultiplyAdd(gv4, v, s43); s53 = Avx512F.FusedMultiplyAdd(gv5, v, s53);
            }
            s00.Store(r0); s01.Store(r0 + Lanes); s02.Store(r0 + 2 * Lanes); s03.Store(r0 + 3 * Lanes);
            s10.Store(r1); s11.Store(r1 + Lanes); s12.Store(r1 + 2 * Lanes); s13.Store(r1 + 3 * Lanes);
            s20.Store(r2); s21.Store(r2 + Lanes); s22.Store(r2 + 2 * Lanes); s23.Store(r2 + 3 * Lanes);
            s30.Store(r3); s31.Store(r3 + Lanes); s32.Store(r3 + 2 * Lanes); s33.Store(r3 + 3 * Lanes);
            s40.Store(r4); s41.Store(r4 + Lanes); s42.Store(r4 + 2 * Lanes); s43.Store(r4 + 3 * Lanes);
            s50.Store(r5); s51.Store(r5 + Lanes); s52.Store(r5 + 2 * Lanes); s53.Store(r5 + 3 * Lanes);
        }
        for (int i = 0; i < WideChannelBlock; i++) SingleTaps(x, grad + (o + i) * plane, partial + (o + i) * k * Lanes, taps, t, k, pin, pout, pcount, first, end);
    }

    /// <summary>Taps [t0, t1) of one channel, one at a time: the remainders of the blocked loop.</summary>
    private static void SingleTaps(float* x, float* g, float* partial, int* taps, int t0, int t1, int* pin, int* pout, int* pcount, int first, int end)
    {
        for (int t = t0; t < t1; t++)
        {
            float* acc = partial + t * Lanes;
            var s = Vector512.Load(acc);
            int d = taps[t];
            for (int p = first; p < end; p++)
            {
                var mask = Masks[pcount[p]];
                s = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(g + pout[p], mask, Vector512<float>.Zero), Avx512F.MaskLoad(x + pin[p] + d, mask, Vector512<float>.Zero), s);
            }
            s.Store(acc);
        }
    }

    /// <summary>dw[i] = Σ_lanes Σ_slots partial[slot][i·16 + lane]: slots summed in order, then the lanes.</summary>
    public static void ReducePartials(float[] partials, int slots, int count, Span<float> dw)
    {
        int stride = count * Lanes;
        Debug.Assert((long)slots * stride <= partials.Length && count <= dw.Length, "DirectConv.ReducePartials out of bounds");
        fixed (float* p = partials)
            for (int i = 0; i < count; i++)
            {
                var s = Vector512.Load(p + i * Lanes);
                for (int slot = 1; slot < slots; slot++) s += Vector512.Load(p + slot * stride + i * Lanes);
                dw[i] = Vector512.Sum(s);
            }
    }
}
