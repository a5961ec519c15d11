using System.Diagnostics;

namespace AutoGrad.Models.Data;

/// <summary>
/// Serves an <see cref="ImageDataset"/> as normalised NCHW float batches. Epoch e visits the samples in a
/// permutation drawn from System.Random seeded by (seed, e), and batch b's augmentation draws from one seeded
/// by (seed, e, b): any batch can be produced alone, in any order, on any thread, and a resumed run sees
/// exactly the batches an uninterrupted one would have.
/// </summary>
public sealed class BatchIterator
{
    private readonly ImageDataset data;
    private readonly int batchSize;
    private readonly bool shuffle;
    private readonly int seed;
    private readonly Augmentation augmentation;
    private readonly float[] table;
    private readonly object gate = new();
    private int[]? order;
    private int orderEpoch = -1;

    /// <param name="data">The split to iterate.</param>
    /// <param name="norm">Per-channel normalisation, usually <see cref="Normalization.Compute"/> of the training split.</param>
    /// <param name="batchSize">Samples per batch; the last batch of an epoch may be smaller unless <paramref name="dropLast"/>.</param>
    /// <param name="shuffle">Visit samples in a fresh seeded permutation each epoch; otherwise in dataset order.</param>
    /// <param name="seed">Seeds the permutations and the augmentation.</param>
    /// <param name="augmentation">Training-time crop, flip and erasing; leave default for evaluation.</param>
    /// <param name="dropLast">Skip the final partial batch.</param>
    public BatchIterator(ImageDataset data, Normalization norm, int batchSize, bool shuffle, int seed,
        Augmentation augmentation = default, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(norm);
        norm.Validate(data.Channels);
        if (batchSize < 1) throw new AutoGradException($"batch size {batchSize} must be at least 1");
        int limit = Math.Min(data.Height, data.Width);
        if (augmentation.CropPadding < 0 || augmentation.CropPadding > limit)
            throw new AutoGradException($"crop padding {augmentation.CropPadding} must be in 0..{limit} for {data.Height}×{data.Width} images");
        if (!(augmentation.Erasing is >= 0 and <= 1))
            throw new AutoGradException($"random-erasing probability {augmentation.Erasing} must be in [0, 1]");
        BatchesPerEpoch = dropLast ? data.Count / batchSize : (data.Count + batchSize - 1) / batchSize;
        if (BatchesPerEpoch == 0)
            throw new AutoGradException($"dataset '{data.Name}' has {data.Count} samples, fewer than one batch of {batchSize} with dropLast");
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.augmentation = augmentation;
        table = new float[256 * data.Channels];
        norm.FillTable(table);
    }

    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Samples in a full batch.</summary>
    public int BatchSize => batchSize;

    /// <summary>
    /// Writes batch <paramref name="batchIndex"/> of <paramref name="epoch"/> into <paramref name="images"/>
    /// (NCHW, at least batch × SampleSize floats) and <paramref name="labels"/>; returns the batch's actual size.
    /// </summary>
    public int Fill(int epoch, int batchIndex, Span<float> images, Span<int> labels) => Fill(epoch, batchIndex, images, labels, 0, int.MaxValue);

    /// <summary>
    /// Writes samples <paramref name="first"/> .. <paramref name="first"/> + <paramref name="take"/> − 1 of batch
    /// <paramref name="batchIndex"/> (clipped to the batch) exactly as the whole batch would hold them, augmentation
    /// included; returns how many were written. Data-parallel ranks each fill their own slice of a global batch.
    /// </summary>
    public int Fill(int epoch, int batchIndex, Span<float> images, Span<int> labels, int first, int take)
    {
        if (epoch < 0) throw new AutoGradException($"epoch {epoch} must be non-negative");
        if ((uint)batchIndex >= (uint)BatchesPerEpoch)
            throw new AutoGradException($"batch {batchIndex} is outside 0..{BatchesPerEpoch - 1} of dataset '{data.Name}'");
        int start = batchIndex * batchSize, whole = Math.Min(batchSize, data.Count - start), size = data.SampleSize;
        if (first < 0 || take < 0) throw new AutoGradException($"batch slice from {first}, {take} samples must be non-negative");
        first = Math.Min(first, whole);
        int count = (int)Math.Min(take, whole - first);
        if (images.Length < (long)count * size)
            throw new AutoGradException($"image buffer holds {images.Length} floats, expected at least {count} × {size} = {(long)count * size}");
        if (labels.Length < count)
            throw new AutoGradException($"label buffer holds {labels.Length} ints, expected at least {count}");

        int[] permutation = Order(epoch);
        var rng = augmentation.Enabled ? new Random(DeriveSeed(seed, epoch, batchIndex + 1)) : null;
        // The batch's augmentation stream is drawn sample by sample: a slice replays the draws before it.
        if (rng is not null) for (int j = 0; j < first; j++) Draw(rng);
        for (int j = 0; j < count; j++)
        {
            int index = permutation[start + first + j];
            labels[j] = data.Label(index);
            Span<float> dst = images.Slice(j * size, size);
            if (rng is null) Normalization.Map(data.Sample(index), table, data.Channels, dst);
            else Augment(data.Sample(index), Draw(rng), dst);
        }
        return count;
    }

    /// <summary>The sample order of <paramref name="epoch"/>; the last epoch's order is cached.</summary>
    internal int[] Order(int epoch)
    {
        lock (gate)
        {
            if (order is not null && orderEpoch == epoch) return order;
            var next = new int[data.Count];
            for (int i = 0; i < next.Length; i++) next[i] = i;
            if (shuffle)
            {
                // Our own Fisher–Yates over Random.Next: seeded Random's sequence is a compatibility
                // guarantee of .NET, Random.Shuffle's use of it is not.
                var rng = new Random(DeriveSeed(seed, epoch, 0));
                for (int i = next.Length - 1; i > 0; i--)
                {
                    int k = rng.Next(i + 1);
                    (next[i], next[k]) = (next[k], next[i]);
                }
            }
            (order, orderEpoch) = (next, epoch);
            return next;
        }
    }

    // One sample's random choices. Every draw is taken from the batch's stream in a fixed order, so a slice
    // that replays the draws of the samples before it lands on exactly the same choices.
    private readonly record struct Draws(int Dy, int Dx, bool Flip, int EraseY, int EraseX, int EraseH, int EraseW);

    // Crop-with-padding then flip, fused into one gather: output (y, x) reads source (y + dy, x' + dx)
    // where x' mirrors x when flipped; reads outside the source are the zero-padding pixel value 0.
    private Draws Draw(Random rng)
    {
        int pad = augmentation.CropPadding;
        int dy = pad > 0 ? rng.Next(-pad, pad + 1) : 0;
        int dx = pad > 0 ? rng.Next(-pad, pad + 1) : 0;
        bool flip = augmentation.HorizontalFlip && rng.Next(2) == 1;
        if (augmentation.Erasing <= 0 || rng.NextDouble() >= augmentation.Erasing) return new(dy, dx, flip, 0, 0, 0, 0);
        // Area 2–40 % and log-uniform aspect ratio in [0.3, 1/0.3], as in the random-erasing paper; the rectangle is
        // clipped to the image instead of re-drawn, so every erasing costs the same four draws.
        int h = data.Height, w = data.Width;
        double area = (0.02 + 0.38 * rng.NextDouble()) * h * w;
        double ratio = Math.Exp(Math.Log(0.3) + (2 * Math.Log(1 / 0.3) * rng.NextDouble()));
        int eh = Math.Clamp((int)Math.Round(Math.Sqrt(area * ratio)), 1, h), ew = Math.Clamp((int)Math.Round(Math.Sqrt(area / ratio)), 1, w);
        int ey = rng.Next(h - eh + 1), ex = rng.Next(w - ew + 1);
        return new(dy, dx, flip, ey, ex, eh, ew);
    }

    private void Augment(ReadOnlySpan<byte> sample, Draws draw, Span<float> dst)
    {
        int h = data.Height, w = data.Width, plane = h * w;
        var (dy, dx, flip) = (draw.Dy, draw.Dx, draw.Flip);
        for (int c = 0; c < data.Channels; c++)
        {
            ReadOnlySpan<float> lut = table.AsSpan(c * 256, 256);
            ReadOnlySpan<byte> src = sample.Slice(c * plane, plane);
            for (int y = 0; y < h; y++)
            {
                Span<float> row = dst.Slice(c * plane + y * w, w);
                int sy = y + dy;
                if ((uint)sy >= (uint)h) { row.Fill(lut[0]); continue; }
                ReadOnlySpan<byte> srcRow = src.Slice(sy * w, w);
                for (int x = 0; x < w; x++)
                {
                    int sx = (flip ? w - 1 - x : x) + dx;
                    row[x] = (uint)sx < (uint)w ? lut[srcRow[sx]] : lut[0];
                }
            }
            // Erased pixels are 0 after normalisation: the channel's mean, so erasing shifts no statistics.
            for (int y = draw.EraseY; y < draw.EraseY + draw.EraseH; y++)
                dst.Slice(c * plane + y * w + draw.EraseX, draw.EraseW).Clear();
        }
        Debug.Assert(dst.Length == data.SampleSize);
    }

    /// <summary>A well-mixed 31-bit seed from (seed, epoch, stream) via SplitMix64, so nearby inputs give unrelated streams.</summary>
    internal static int DeriveSeed(int seed, int epoch, int stream)
    {
        ulong z = SplitMix((ulong)(uint)seed);
        z = SplitMix(z ^ (uint)epoch);
        z = SplitMix(z ^ (uint)stream);
        return (int)(z >> 33);
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
