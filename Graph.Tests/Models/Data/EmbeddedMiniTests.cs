using AutoGrad.Models.Data;
using Xunit;

namespace AutoGrad.Tests.Models.Data;

public sealed class EmbeddedMiniTests
{
    [Fact]
    public void MiniSetHasBalancedTenClassSplits()
    {
        using var splits = DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, 1, 28, 28, DataFixtures.Options());
        Assert.Equal(10_000, splits.Train.Count);
        Assert.Equal(2_000, splits.Test.Count);
        Assert.Null(splits.Validation);
        Assert.Equal(IdxSource.FashionClasses, splits.Train.Classes);
        Assert.Equal("fashion-mnist-mini/train", splits.Train.Name);
        Assert.All(splits.Train.Labels.CountBy(l => l), g => Assert.Equal(1_000, g.Value));
        Assert.All(splits.Test.Labels.CountBy(l => l), g => Assert.Equal(200, g.Value));
        Assert.Equal(10, splits.Train.Labels.Distinct().Count());
        // Real images: not blank, and classes interleaved rather than sorted.
        Assert.Contains(splits.Train.Sample(0).ToArray(), v => v > 100);
        Assert.True(splits.Train.Labels.Take(30).Distinct().Count() > 3);
    }

    [Fact]
    public void MiniSetConvertsToRgb32()
    {
        using var gray = DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, 1, 28, 28, DataFixtures.Options());
        using var rgb = DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, 3, 32, 32, DataFixtures.Options());
        Assert.Equal(3 * 32 * 32, rgb.Test.SampleSize);
        var s = rgb.Test.Sample(17);
        Assert.True(s[..1024].SequenceEqual(s.Slice(1024, 1024)));
        // Upscaling keeps the overall brightness within a few levels.
        double meanGray = gray.Test.Sample(17).ToArray().Average(v => v), meanRgb = s[..1024].ToArray().Average(v => v);
        Assert.InRange(meanRgb, meanGray - 5, meanGray + 5);
    }

    [Fact]
    public void NormalizationOfMiniTrainIsPlausible()
    {
        using var splits = DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, 1, 28, 28, DataFixtures.Options());
        var norm = Normalization.Compute(splits.Train);
        // Fashion-MNIST's well-known statistics are about 0.286 and 0.353.
        Assert.InRange(norm.Mean[0], 0.27f, 0.30f);
        Assert.InRange(norm.Std[0], 0.34f, 0.37f);
    }
}
