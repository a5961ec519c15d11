namespace AutoGrad.Tests.Ops;

/// <summary>
/// Random shapes for the registry. Small ones (dimensions 1–5, with size-1 and odd sizes, broadcastable pairs)
/// for the float64 central-difference check; wide ones for the precision property, drawn to reach float32's
/// fast kernels and their tails: 16-float AVX-512 widths and their neighbours, multiples of 16 channels on
/// narrow planes (the channel-vector direct convolution), 2×2 pools on planes 2–70 wide, GEMM sizes around
/// the micro-tile and k-block edges; and, as often, shapes that fall back to the general paths.
/// </summary>
public static class ShapeGen
{
    /// <summary>Dimension sizes 1–5: includes size-1 and odd sizes.</summary>
    public static int Dim(Random r) => r.Next(1, 6);

    public static int[] Shape(Random r, int minRank = 1, int maxRank = 4) =>
        Enumerable.Range(0, r.Next(minRank, maxRank + 1)).Select(_ => Dim(r)).ToArray();

    private static readonly int[] VectorEdges = [15, 16, 17, 31, 32, 33];

    /// <summary>1–40, a third of the time next to a multiple of 16 (a Vector512 of floats).</summary>
    public static int WideDim(Random r) => r.Next(3) == 0 ? VectorEdges[r.Next(VectorEdges.Length)] : r.Next(1, 41);

    /// <summary>A shape of <see cref="WideDim"/> sizes with at most 4,096 elements; one in six is shorter than one vector.</summary>
    public static int[] WideShape(Random r, int minRank = 1, int maxRank = 3)
    {
        if (r.Next(6) == 0) return [.. Enumerable.Repeat(1, minRank - 1), r.Next(1, 16)];
        var shape = Enumerable.Range(0, r.Next(minRank, maxRank + 1)).Select(_ => WideDim(r)).ToArray();
        for (int i = 0; Shapes.Size(shape) > 4096; i = (i + 1) % shape.Length) shape[i] = Math.Max(1, shape[i] / 2);
        return shape;
    }

    /// <summary>A shape and a second one that broadcasts with it (leading dims dropped, some dims set to 1), in random order.</summary>
    public static int[][] BroadcastPair(Random r, bool wide = false)
    {
        var full = wide ? WideShape(r) : Shape(r);
        var other = full[r.Next(full.Length + 1)..].Select(d => r.Next(3) == 0 ? 1 : d).ToArray();
        return r.Next(2) == 0 ? [full, other] : [other, full];
    }

    /// <summary>A random non-empty subset of the axes of <paramref name="shape"/>, or null (all axes).</summary>
    public static int[]? Axes(Random r, int[] shape)
    {
        if (r.Next(4) == 0) return null;
        var axes = Enumerable.Range(0, shape.Length).Where(_ => r.Next(2) == 0).ToList();
        if (axes.Count == 0) axes.Add(r.Next(shape.Length));
        return axes.Select(a => r.Next(2) == 0 ? a : a - shape.Length).ToArray();   // mix negative axes in
    }

    public static int[] Permutation(Random r, int rank)
    {
        var dims = Enumerable.Range(0, rank).ToArray();
        r.Shuffle(dims);
        return dims;
    }

    public static int[] Labels(Random r, int batch, int classes) => Enumerable.Range(0, batch).Select(_ => r.Next(classes)).ToArray();

    /// <summary>
    /// (m, k, n) for the packed float GEMM: m and n around its 8×32 (AVX-512) and 6×16 (AVX2) micro-tiles, k
    /// sometimes past its 256-deep block, and products past 2¹⁸ multiply-adds, where it splits into bands.
    /// </summary>
    public static (int M, int K, int N) GemmSizes(Random r)
    {
        if (r.Next(4) == 0) return (r.Next(30, 41), r.Next(250, 301), r.Next(40, 71));   // ≥ 300 K multiply-adds: parallel bands
        int m = r.Next(2) == 0 ? r.Next(1, 10) : r.Next(10, 40);
        int k = r.Next(4) == 0 ? r.Next(250, 300) : r.Next(1, 65);
        int n = r.Next(3) == 0 ? new[] { 31, 32, 33, 63, 64, 65 }[r.Next(6)] : r.Next(1, 71);
        return (m, k, n);
    }

    /// <summary>NCHW activations: planes 1–12 high and up to 70 wide (at least <paramref name="minPlane"/>), sometimes 16 channels.</summary>
    public static int[] WidePlanes(Random r, int minPlane) =>
        [r.Next(1, 4), r.Next(4) == 0 ? 16 : r.Next(1, 6), Math.Max(minPlane, r.Next(1, 13)), Math.Max(minPlane, r.Next(1, 71))];

    public static ConvShape SmallConv(Random r)
    {
        int kh = r.Next(1, 4), kw = r.Next(1, 4), stride = r.Next(1, 4), padding = r.Next(0, 3);
        int c = r.Next(1, 4), o = r.Next(1, 4), n = r.Next(1, 3);
        int h = Math.Max(kh, r.Next(3, 9)), w = Math.Max(kw, r.Next(3, 9));
        return new ConvShape(n, c, h, w, o, kh, kw, stride, padding);
    }

    /// <summary>
    /// Convolutions for float32's kernels. Stride 1 with padding below the kernel (the direct AVX-512 kernels),
    /// 16 or 32 channels (the channel-vector kernel on narrow planes, in forward and in the input gradient), 1–4
    /// channels (the row kernel, its 3-channel blocks and 16-wide row tails); one in five strided (odd widths among them), one in six
    /// padded as wide as the kernel (im2col + GEMM). At most 3 M multiply-adds, so float64 stays quick.
    /// </summary>
    public static ConvShape KernelConv(Random r)
    {
        int[] channels = [1, 3, 4, 16, 32];
        int c = channels[r.Next(channels.Length)], o = channels[r.Next(channels.Length)];
        int kh = new[] { 1, 3, 5 }[r.Next(3)], kw = r.Next(3) == 0 ? new[] { 1, 3, 5 }[r.Next(3)] : kh;
        int stride = r.Next(5) == 0 ? 2 : 1;
        int padding = r.Next(6) == 0 ? Math.Min(kh, kw) : r.Next(0, Math.Min(kh, kw));
        int n = r.Next(1, 4), h = r.Next(kh, kh + 12), w = r.Next(3) == 0 ? r.Next(kw, 14) : r.Next(kw, 40);
        // Strided rows split into phases; on an odd width with an even height the last phase is short.
        if (stride == 2 && h % 2 == 0 && w % 2 == 0 && w > kw) w--;
        var shape = new ConvShape(n, c, h, w, o, kh, kw, stride, padding);
        while (shape.MultiplyAdds > 3_000_000)
            shape = shape.N > 1 ? shape with { N = shape.N - 1 } : shape.H > shape.Kh ? shape with { H = shape.H - 1 } : shape with { W = shape.W - 1 };
        return shape;
    }
}

/// <summary>One convolution's sizes: input [N, C, H, W], weight [O, C, Kh, Kw], stride and padding.</summary>
public sealed record ConvShape(int N, int C, int H, int W, int O, int Kh, int Kw, int Stride, int Padding)
{
    public int OutH => (H + 2 * Padding - Kh) / Stride + 1;
    public int OutW => (W + 2 * Padding - Kw) / Stride + 1;
    public long MultiplyAdds => (long)N * C * O * Kh * Kw * OutH * OutW;

    public override string ToString() => $"k={Kh}x{Kw} s={Stride} p={Padding}";
}
