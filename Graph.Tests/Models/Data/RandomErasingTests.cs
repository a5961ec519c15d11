using AutoGrad.Models.Data;

namespace AutoGrad.Tests.Models.Data;

/// <summary>Random erasing (Zhong et al. 2017) as <see cref="BatchIterator"/> applies it: one zeroed rectangle of 2–40 % of the image.</summary>
public sealed class RandomErasingTests
{
    private const int H = 20, W = 16, Count = 400;

    // Every pixel 255, so after Normalization.None (pixel/255) an untouched pixel is 1 and an erased one 0.
    private static (BatchIterator It, float[] Images) Fill(double erasing, int seed = 5)
    {
        var data = ImageDataset.FromBytes("white", ["a"], 1, H, W, Enumerable.Repeat((byte)255, Count * H * W).ToArray(), new int[Count]);
        var it = new BatchIterator(data, Normalization.None(1), Count, shuffle: false, seed, new Augmentation(0, false, erasing));
        var images = new float[Count * H * W];
        Assert.Equal(Count, it.Fill(0, 0, images, new int[Count]));
        return (it, images);
    }

    [Fact]
    public void EachErasingIsOneRectangleOfTwoToFortyPercentWithBoundedAspect()
    {
        var (_, images) = Fill(erasing: 1);
        var areas = new List<double>();
        for (int s = 0; s < Count; s++)
        {
            var zeros = new List<(int Y, int X)>();
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                {
                    float v = images[(s * H * W) + (y * W) + x];
                    Assert.True(v is 0f or 1f, $"sample {s} pixel ({y}, {x}) is {v}: erasing writes 0 and leaves the rest");
                    if (v == 0f) zeros.Add((y, x));
                }
            Assert.NotEmpty(zeros);
            int h = zeros.Max(z => z.Y) - zeros.Min(z => z.Y) + 1, w = zeros.Max(z => z.X) - zeros.Min(z => z.X) + 1;
            Assert.True(h * w == zeros.Count, $"sample {s}: the {zeros.Count} erased pixels do not fill their {h}×{w} bounding box");
            // Rounding √(area·r) to whole pixels and clipping to the image move the area by at most a row and a column.
            double fraction = (double)zeros.Count / (H * W);
            Assert.InRange(fraction, 0.02 - ((h + w) / (double)(H * W)), 0.40 + ((h + w + 1) / (double)(H * W)));
            if (h < H && w < W) Assert.InRange(h / (double)w, 0.3 * 0.5, (1 / 0.3) * 2);   // unclipped: ratio 0.3–3.3, ± a pixel of rounding
            areas.Add(fraction);
        }
        // Area uniform on [0.02, 0.4]: mean 0.21 (clipping only removes area). A fixed-size rectangle would fail the spread.
        Assert.InRange(areas.Average(), 0.16, 0.23);
        Assert.True(areas.Max() - areas.Min() > 0.25, $"areas span {areas.Min():F3}..{areas.Max():F3}: not drawn from 2–40 %");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void ErasingHappensWithTheGivenProbability(double p)
    {
        var (_, images) = Fill(p);
        int erased = Enumerable.Range(0, Count).Count(s => images.AsSpan(s * H * W, H * W).Contains(0f));
        // Binomial(400, p): 4.5 standard deviations either side of the mean (sd 10 at p = 0.5).
        Assert.InRange(erased, (Count * p) - 45, (Count * p) + 45);
    }

    [Fact]
    public void ErasingIsSeededAndVariesWithTheSeed()
    {
        var (_, a) = Fill(1, seed: 5);
        var (_, again) = Fill(1, seed: 5);
        var (_, other) = Fill(1, seed: 6);
        Assert.Equal(a, again);
        Assert.NotEqual(a, other);
    }
}
