using System.Buffers;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// A batch through <see cref="DirectConv"/>: forward, and the three backward products, one image at a time
/// in parallel. Weight and bias gradients go to 4–<see cref="PartialSlots"/> partial sums (fixed by the
/// shapes), slot s taking a fixed run of images in order, summed in slot order: the same for every thread count.
/// </summary>
internal static unsafe class DirectConvolution
{
    private const int PartialSlots = 16;

    /// <summary>
    /// Which convolutions take this path: float on AVX-512, stride 1, padding below the kernel size, and at most
    /// <see cref="MaxWeights"/> weights. Past that the 16-lane weight-gradient partials (16 floats per weight and
    /// slot) would cost more memory than they save time, and im2col + GEMM is efficient on such wide layers anyway.
    /// </summary>
    public static bool Applies(in ConvGeometry g, int outC)
        => DirectConv.IsSupported && g.Stride == 1 && g.Padding < Math.Min(g.KernelH, g.KernelW) && outC > 0
           && (long)outC * g.PatchSize <= MaxWeights;

    /// <summary>64 Ki weights: 4 MiB of partials per slot (a 64→64 3×3 layer has 36,864).</summary>
    public const int MaxWeights = 1 << 16;

    public static void Forward(float[] x, int batch, ConvGeometry g, float[] weight, float[]? bias, int outC, float[] output)
    {
        var layout = DirectConv.LayoutOf(g.Channels, g.Height + 2 * g.Padding, g.Width + 2 * g.Padding, g.KernelH, g.KernelW);
        bool channels = DirectConvChannels.Applies(outC, g.OutWidth);
        var packed = Pack(weight, outC, g, flip: false, channels);
        int image = g.Channels * g.PlaneSize, outImage = outC * g.Positions;
        Threading.Each(batch, n =>
        {
            var scratch = Input(x, n, batch, g, layout);
            fixed (float* xs = scratch ?? x, wp = packed, b = bias, o = output)
            {
                float* xn = scratch is null ? xs + n * image : xs;
                if (channels)
                {
                    DirectConvChannels.AssertForwardBounds(layout, outC, XLength(x, n, image, scratch, layout), packed.Length, bias?.Length ?? 0, Math.Min(outImage, output.Length - n * outImage));
                    DirectConvChannels.Forward(layout, xn, wp, b, outC, o + n * outImage);
                }
                else
                {
                    DirectConv.AssertForwardBounds(layout, outC, XLength(x, n, image, scratch, layout), packed.Length, bias?.Length ?? 0, Math.Min(outImage, output.Length - n * outImage));
                    DirectConv.Forward(layout, xn, wp, b, outC, o + n * outImage);
                }
            }
            if (scratch is not null) ArrayPool<float>.Shared.Return(scratch);
        });
        ArrayPool<float>.Shared.Return(packed);
    }

    /// <summary>dx (overwritten), dw and db (overwritten); any may be null when not needed.</summary>
    public static void Backward(float[] x, int batch, ConvGeometry g, float[] weight, int outC, float[] grad, float[]? dx, Span<float> dw, Span<float> db, bool needW, bool needB)
    {
        int image = g.Channels * g.PlaneSize, outImage = outC * g.Positions, k = g.PatchSize;
        var layout = DirectConv.LayoutOf(g.Channels, g.Height + 2 * g.Padding, g.Width + 2 * g.Padding, g.KernelH, g.KernelW);
        int padH = g.KernelH - 1 - g.Padding, padW = g.KernelW - 1 - g.Padding;
        // The input gradient's layout only when one is wanted: a first conv layer never needs it.
        var transposed = dx is null ? null : DirectConv.LayoutOf(outC, g.OutHeight + 2 * padH, g.OutWidth + 2 * padW, g.KernelH, g.KernelW);
        bool channelsIn = DirectConvChannels.Applies(g.Channels, g.Width), channelsOut = DirectConvChannels.Applies(outC, g.OutWidth);
        var packed = dx is null ? null : Pack(weight, outC, g, flip: true, channelsIn);
        // Channel-vector partials are dWᵀ itself; row-vector partials keep 16 lanes per weight.
        int slots = Slots(batch, (long)outC * k * g.Positions), wStride = outC * k * (channelsOut ? 1 : DirectConv.Lanes);
        var partials = needW ? ArrayPool<float>.Shared.Rent(slots * wStride) : null;
        var biasPartials = needB ? ArrayPool<float>.Shared.Rent(slots * outC) : null;
        Threading.Each(slots, s =>
        {
            int start = (int)((long)batch * s / slots), end = (int)((long)batch * (s + 1) / slots);
            if (partials is not null) partials.AsSpan(s * wStride, wStride).Clear();
            if (biasPartials is not null) biasPartials.AsSpan(s * outC, outC).Clear();
            for (int n = start; n < end; n++)
            {
                if (biasPartials is not null)
                    for (int o = 0; o < outC; o++) biasPartials[s * outC + o] += TP.Sum(grad.AsSpan(n * outImage + o * g.Positions, g.Positions));
                if (partials is not null)
                {
                    var scratch = Input(x, n, batch, g, layout);
                    var gradT = channelsOut ? ArrayPool<float>.Shared.Rent(outImage) : null;
                    fixed (float* xs = scratch ?? x, gp = grad, gt = gradT, pp = partials)
                    {
                        float* xn = scratch is null ? xs + n * image : xs;
                        if (channelsOut)
                        {
                            DirectConvChannels.AssertWeightGradBounds(layout, outC, XLength(x, n, image, scratch, layout), Math.Min(outImage, grad.Length - n * outImage), outImage, wStride);
                            DirectConvChannels.Transpose(gp + n * outImage, outC, g.Positions, gt);
                            DirectConvChannels.WeightGrad(layout, xn, gt, outC, pp + s * wStride);
                        }
                        else
                        {
                            DirectConv.AssertWeightGradBounds(layout, outC, XLength(x, n, image, scratch, layout), Math.Min(outImage, grad.Length - n * outImage), wStride);
                            DirectConv.WeightGrad(layout, xn, gp + n * outImage, outC, pp + s * wStride);
                        }
                    }
                    if (gradT is not null) ArrayPool<float>.Shared.Return(gradT);
                    if (scratch is not null) ArrayPool<float>.Shared.Return(scratch);
                }
                if (dx is not null)
                {
                    var padded = ArrayPool<float>.Shared.Rent(transposed!.PaddedLength);
                    DirectConv.Pad(grad.AsSpan(n * outImage, outImage), outC, g.OutHeight, g.OutWidth, padH, padW, transposed, padded);
                    fixed (float* gs = padded, wp = packed, d = dx)
                        if (channelsIn)
                        {
                            DirectConvChannels.AssertForwardBounds(transposed, g.Channels, transposed.PaddedLength, packed!.Length, 0, Math.Min(image, dx.Length - n * image));
                            DirectConvChannels.Forward(transposed, gs, wp, null, g.Channels, d + n * image);
                        }
                        else
                        {
                            DirectConv.AssertForwardBounds(transposed, g.Channels, transposed.PaddedLength, packed!.Length, 0, Math.Min(image, dx.Length - n * image));
                            DirectConv.Forward(transposed, gs, wp, null, g.Channels, d + n * image);
                        }
                    ArrayPool<float>.Shared.Return(padded);
                }
            }
        });
        if (partials is not null)
        {
            if (channelsOut) DirectConvChannels.ReducePartials(partials, slots, outC, k, dw);
            else DirectConv.ReducePartials(partials, slots, outC * k, dw);
            ArrayPool<float>.Shared.Return(partials);
        }
        if (biasPartials is not null)
        {
            biasPartials.AsSpan(0, outC).CopyTo(db);
            for (int s = 1; s < slots; s++) TP.Add(db, biasPartials.AsSpan(s * outC, outC), db);
            ArrayPool<float>.Shared.Return(biasPartials);
        }
        if (packed is not null) ArrayPool<float>.Shared.Return(packed);
    }

    /// <summary>Pooled packed weights for the kernel that will read them (return to <see cref="ArrayPool{T}.Shared"/>).</summary>
    private static float[] Pack(float[] weight, int outC, in ConvGeometry g, bool flip, bool channels)
    {
        int rows = flip ? g.Channels : outC, k = (flip ? outC : g.Channels) * g.KernelH * g.KernelW;
        var packed = ArrayPool<float>.Shared.Rent(channels ? rows * k : DirectConv.PackedLength(rows, k));
        if (channels) DirectConvChannels.PackWeights(weight, outC, g.Channels, g.KernelH, g.KernelW, flip, packed);
        else DirectConv.PackWeights(weight, outC, g.Channels, g.KernelH, g.KernelW, flip, packed);
        return packed;
    }

    /// <summary>
    /// Weight-gradient partial slots: enough for 2–16 threads to share the batch, but not so many that
    /// clearing and summing them (O·K·16 floats each) costs more than small images' work (lenet5's conv2 has
    /// 24 K multiply-adds per image). Depends only on the shapes, like every other choice here.
    /// </summary>
    private static int Slots(int batch, long multiplyAddsPerImage)
        => Math.Min(batch, (int)Math.Clamp(batch * multiplyAddsPerImage / MultiplyAddsPerSlot, 4, PartialSlots));

    private const long MultiplyAddsPerSlot = 1 << 22;

    /// <summary>
    /// Floats the kernels may read from image n's pointer: the rest of the batch when read in place (lanes past the
    /// image read the next one), else the padded scratch as <see cref="DirectConv.Pad"/> filled it. For the
    /// Debug-only bounds checks.
    /// </summary>
    private static int XLength(float[] x, int n, int image, float[]? scratch, DirectConv.Layout layout)
        => scratch is null ? x.Length - n * image : layout.PaddedLength;

    /// <summary>
    /// Image n padded into pooled scratch, or null when the kernel can read it in place: unpadded and not
    /// the last image (the lanes past its end then read the next image, never past the array).
    /// </summary>
    private static float[]? Input(float[] x, int n, int batch, in ConvGeometry g, DirectConv.Layout layout)
    {
        int image = g.Channels * g.PlaneSize;
        if (g.Padding == 0 && n < batch - 1 && image >= 2 * DirectConv.Lanes) return null;
        var scratch = ArrayPool<float>.Shared.Rent(layout.PaddedLength);
        DirectConv.Pad(x.AsSpan(n * image, image), g.Channels, g.Height, g.Width, g.Padding, g.Padding, layout, scratch);
        return scratch;
    }
}
