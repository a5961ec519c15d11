using AutoGrad.Models.Data;
using Xunit;

namespace AutoGrad.Tests.Models.Data;

public sealed class BatchIteratorTests
{
    // Samples of DataFixtures.Indexed hold their own index in every pixel; Normalization.None maps it to i/255.
    private static int[] Epoch(BatchIterator it, ImageDataset data, int epoch, out List<int> sizes)
    {
        var seen = new List<int>();
        sizes = [];
        var images = new float[it.BatchSize * data.SampleSize];
        var labels = new int[it.BatchSize];
        for (int b = 0; b < it.BatchesPerEpoch; b++)
        {
            int n = it.Fill(epoch, b, images, labels);
            sizes.Add(n);
            for (int j = 0; j < n; j++)
            {
                int index = (int)MathF.Round(images[j * data.SampleSize] * 255);
                Assert.Equal(data.Label(index), labels[j]);
                seen.Add(index);
            }
        }
        return seen.ToArray();
    }

    [Fact]
    public void EverySampleAppearsOncePerEpochAndLastBatchIsPartial()
    {
        var data = DataFixtures.Indexed(23);
        var it = new BatchIterator(data, Normalization.None(1), 5, shuffle: true, seed: 1);
        Assert.Equal(5, it.BatchesPerEpoch);
        int[] order = Epoch(it, data, 0, out var sizes);
        Assert.Equal(Enumerable.Range(0, 23), order.Order());
        Assert.Equal([5, 5, 5, 5, 3], sizes);
    }

    [Fact]
    public void SameSeedSameOrderDifferentEpochDifferentOrder()
    {
        var data = DataFixtures.Indexed(50);
        var a = new BatchIterator(data, Normalization.None(1), 8, shuffle: true, seed: 42);
        var b = new BatchIterator(data, Normalization.None(1), 8, shuffle: true, seed: 42);
        var c = new BatchIterator(data, Normalization.None(1), 8, shuffle: true, seed: 43);
        int[] a0 = Epoch(a, data, 0, out _), a1 = Epoch(a, data, 1, out _);
        Assert.Equal(a0, Epoch(b, data, 0, out _));
        Assert.Equal(a1, Epoch(b, data, 1, out _));
        Assert.NotEqual(a0, a1);
        Assert.NotEqual(a0, Epoch(c, data, 0, out _));
        Assert.NotEqual(Enumerable.Range(0, 50), a0);
        Assert.Equal(a0, Epoch(a, data, 0, out _));   // going back to epoch 0 (a resumed run) repeats it
    }

    [Fact]
    public void NoShuffleKeepsDatasetOrderAndDropLastSkipsPartialBatch()
    {
        var data = DataFixtures.Indexed(10);
        var it = new BatchIterator(data, Normalization.None(1), 4, shuffle: false, seed: 0, dropLast: true);
        Assert.Equal(2, it.BatchesPerEpoch);
        Assert.Equal(Enumerable.Range(0, 8), Epoch(it, data, 3, out var sizes));
        Assert.Equal([4, 4], sizes);
    }

    [Fact]
    public void FillWritesNormalisedValues()
    {
        var data = DataFixtures.Indexed(3);
        var it = new BatchIterator(data, new Normalization([1 / 255f], [0.5f]), 3, shuffle: false, seed: 0);
        var images = new float[3 * data.SampleSize];
        it.Fill(0, 0, images, new int[3]);
        Assert.Equal((2 / 255f - 1 / 255f) / 0.5f, images[2 * data.SampleSize + 4], 1e-6f);
    }

    [Fact]
    public void FlipOnlyProducesTheImageOrItsMirror()
    {
        // 1×2×3 samples with distinct pixels: mirrors are easy to tell apart from originals.
        byte[] pixels = Enumerable.Range(0, 20 * 6).Select(i => (byte)i).ToArray();
        var data = ImageDataset.FromBytes("ramp", ["a"], 1, 2, 3, pixels, new int[20]);
        var it = new BatchIterator(data, Normalization.None(1), 20, shuffle: false, seed: 7, new Augmentation(0, true));
        var images = new float[20 * 6];
        it.Fill(0, 0, images, new int[20]);
        int flipped = 0;
        for (int s = 0; s < 20; s++)
        {
            float[] got = images.AsSpan(s * 6, 6).ToArray().Select(v => MathF.Round(v * 255)).ToArray();
            float[] same = data.Sample(s).ToArray().Select(v => (float)v).ToArray();
            float[] mirror = [same[2], same[1], same[0], same[5], same[4], same[3]];
            Assert.True(got.SequenceEqual(same) || got.SequenceEqual(mirror), $"sample {s} is neither itself nor its mirror");
            if (got.SequenceEqual(mirror)) flipped++;
        }
        Assert.InRange(flipped, 1, 19);
    }

    [Fact]
    public void CropWithFlipIsAShiftedZeroPaddedMaybeMirroredCopy()
    {
        const int h = 4, w = 5, pad = 2, count = 30;
        byte[] pixels = Enumerable.Range(0, count * 2 * h * w).Select(i => (byte)(1 + i % 250)).ToArray();
        var data = ImageDataset.FromBytes("rgb", ["a"], 2, h, w, pixels, new int[count]);
        var it = new BatchIterator(data, Normalization.None(2), count, shuffle: false, seed: 3, new Augmentation(pad, true));
        var images = new float[count * data.SampleSize];
        Assert.Equal(count, it.Fill(5, 0, images, new int[count]));
        var shifts = new HashSet<(int, int, bool)>();
        for (int s = 0; s < count; s++)
        {
            byte[] src = data.Sample(s).ToArray();
            int[] got = images.AsSpan(s * data.SampleSize, data.SampleSize).ToArray().Select(v => (int)MathF.Round(v * 255)).ToArray();
            var match = Candidates(pad).Where(t => Transform(src, h, w, t.Dy, t.Dx, t.Flip).SequenceEqual(got)).ToList();
            Assert.True(match.Count > 0, $"sample {s} is not a padded crop (±{pad}) of its source, mirrored or not");
            shifts.Add(match[0]);
        }
        Assert.True(shifts.Count > 5, "crops should vary across samples");
        Assert.Contains(shifts, t => t.Item3);
        Assert.Contains(shifts, t => !t.Item3);
        Assert.Contains(shifts, t => t.Item1 != 0);
        Assert.Contains(shifts, t => t.Item2 != 0);
    }

    [Fact]
    public void AugmentedBatchesAreReproducible()
    {
        var data = DataFixtures.Indexed(12, 6, 6);
        var it = new BatchIterator(data, Normalization.None(1), 4, shuffle: true, seed: 9, new Augmentation(2, true));
        var first = new float[4 * 36];
        var again = new float[4 * 36 + 10];   // larger buffers are fine
        it.Fill(2, 1, first, new int[4]);
        it.Fill(0, 0, again, new int[4]);
        it.Fill(2, 1, again, new int[4]);
        Assert.Equal(first, again[..first.Length]);
    }

    private static IEnumerable<(int Dy, int Dx, bool Flip)> Candidates(int pad) =>
        from dy in Enumerable.Range(-pad, 2 * pad + 1)
        from dx in Enumerable.Range(-pad, 2 * pad + 1)
        from flip in new[] { false, true }
        select (dy, dx, flip);

    // Reference for crop-after-padding then mirror, written the slow obvious way.
    private static int[] Transform(byte[] src, int h, int w, int dy, int dx, bool flip)
    {
        int channels = src.Length / (h * w);
        var cropped = new int[src.Length];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int sy = y + dy, sx = x + dx;
                    cropped[(c * h + y) * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[(c * h + sy) * w + sx] : 0;
                }
        if (!flip) return cropped;
        var mirrored = new int[src.Length];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) mirrored[(c * h + y) * w + x] = cropped[(c * h + y) * w + (w - 1 - x)];
        return mirrored;
    }

    [Fact]
    public void BadArgumentsAreReported()
    {
        var data = DataFixtures.Indexed(3);
        DataFixtures.AssertError(() => new BatchIterator(data, Normalization.None(1), 0, true, 0), "batch size 0");
        DataFixtures.AssertError(() => new BatchIterator(data, Normalization.None(3), 2, true, 0), "expected 1");
        DataFixtures.AssertError(() => new BatchIterator(data, Normalization.None(1), 4, true, 0, default, dropLast: true), "fewer than one batch");
        var it = new BatchIterator(data, Normalization.None(1), 2, true, 0);
        DataFixtures.AssertError(() => it.Fill(0, 2, new float[12], new int[2]), "batch 2");
        DataFixtures.AssertError(() => it.Fill(0, 0, new float[11], new int[2]), "holds 11 floats");
    }
}
