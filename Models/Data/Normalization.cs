using System.Diagnostics;

namespace AutoGrad.Models.Data;

/// <summary>
/// Per-channel standardisation in units of pixel/255: x̂ = (x/255 − Mean[c]) / Std[c]. Compute it on the
/// training split only, so validation and test data never leak into the model's inputs.
/// </summary>
/// <param name="Mean">Per-channel mean of x/255.</param>
/// <param name="Std">Per-channel standard deviation of x/255; must be positive.</param>
public sealed record Normalization(float[] Mean, float[] Std)
{
    /// <summary>Std below this (a constant channel) is replaced by 1, so the channel maps to 0 instead of ±∞.</summary>
    public const float MinStd = 1e-6f;

    /// <summary>Mean 0, std 1: only the /255 scaling.</summary>
    public static Normalization None(int channels) => new(new float[channels], Enumerable.Repeat(1f, channels).ToArray());

    /// <summary>
    /// Mean and population standard deviation of every pixel of every sample, per channel. Sums are exact
    /// 64-bit integers, so the result does not depend on thread count or sample order.
    /// </summary>
    public static Normalization Compute(ImageDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        int channels = train.Channels, plane = train.Height * train.Width;
        var sum = new long[channels];
        var sumSq = new long[channels];
        var gate = new object();
        Parallel.For(0, train.Count, () => new long[2 * channels], (i, _, local) =>
        {
            ReadOnlySpan<byte> sample = train.Sample(i);
            for (int c = 0; c < channels; c++)
            {
                long s = 0, q = 0;
                foreach (byte v in sample.Slice(c * plane, plane)) { s += v; q += v * v; }
                local[c] += s;
                local[channels + c] += q;
            }
            return local;
        }, local =>
        {
            lock (gate)
                for (int c = 0; c < channels; c++) { sum[c] += local[c]; sumSq[c] += local[channels + c]; }
        });

        double n = (double)train.Count * plane;
        var mean = new float[channels];
        var std = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double m = sum[c] / n, variance = Math.Max(0, sumSq[c] / n - m * m);
            mean[c] = (float)(m / 255);
            std[c] = (float)(Math.Sqrt(variance) / 255);
            if (std[c] < MinStd) std[c] = 1f;
        }
        return new Normalization(mean, std);
    }

    /// <summary>Writes (x/255 − Mean[c]) / Std[c] for the CHW <paramref name="sample"/> into <paramref name="dst"/>.</summary>
    public void Apply(ReadOnlySpan<byte> sample, int channels, Span<float> dst)
    {
        Validate(channels);
        if (sample.Length % channels != 0)
            throw new AutoGradException($"normalization: sample of {sample.Length} bytes is not {channels} equal channel planes");
        if (dst.Length < sample.Length)
            throw new AutoGradException($"normalization: destination holds {dst.Length} floats, expected at least {sample.Length}");
        Span<float> table = stackalloc float[256 * channels];
        FillTable(table);
        Map(sample, table, channels, dst);
    }

    /// <summary>Throws unless there is one positive std and one mean per channel.</summary>
    internal void Validate(int channels)
    {
        if (Mean is null || Std is null || Mean.Length != channels || Std.Length != channels)
            throw new AutoGradException($"normalization has {Mean?.Length ?? 0} means and {Std?.Length ?? 0} stds, expected {channels} of each");
        foreach (float s in Std)
            if (!(s > 0) || !float.IsFinite(s)) throw new AutoGradException($"normalization std {s} must be positive and finite");
    }

    /// <summary>table[c × 256 + v] = normalised value of byte v in channel c: one lookup per pixel, no division.</summary>
    internal void FillTable(Span<float> table)
    {
        Debug.Assert(table.Length == 256 * Mean.Length);
        for (int c = 0; c < Mean.Length; c++)
            for (int v = 0; v < 256; v++)
                table[c * 256 + v] = (v / 255f - Mean[c]) / Std[c];
    }

    /// <summary>Maps a CHW sample through <paramref name="table"/> (from <see cref="FillTable"/>).</summary>
    internal static void Map(ReadOnlySpan<byte> sample, ReadOnlySpan<float> table, int channels, Span<float> dst)
    {
        int plane = sample.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> lut = table.Slice(c * 256, 256);
            ReadOnlySpan<byte> src = sample.Slice(c * plane, plane);
            Span<float> output = dst.Slice(c * plane, plane);
            for (int i = 0; i < src.Length; i++) output[i] = lut[src[i]];
        }
    }
}
