using AutoGrad.Models.Data;
using Xunit;

namespace AutoGrad.Tests.Models.Data;

public sealed class NormalizationTests
{
    private static ImageDataset ThreeChannel(byte[] pixels) =>
        ImageDataset.FromBytes("three", ["a"], 3, 1, 2, pixels, Enumerable.Repeat(0, pixels.Length / 6).ToArray());

    [Fact]
    public void MeanAndStdArePerChannelInPixelOver255Units()
    {
        // Two samples of 3×1×2. Channel 0: {0, 255, 255, 0} → mean 0.5, std 0.5.
        // Channel 1: all 51 → mean 0.2, std 0 → replaced by 1. Channel 2: {0, 0, 0, 255} → mean 0.25, std √3/4.
        var data = ThreeChannel([0, 255, 51, 51, 0, 0, 255, 0, 51, 51, 0, 255]);
        var norm = Normalization.Compute(data);
        Assert.Equal(0.5f, norm.Mean[0], 1e-6f);
        Assert.Equal(0.5f, norm.Std[0], 1e-6f);
        Assert.Equal(0.2f, norm.Mean[1], 1e-6f);
        Assert.Equal(1f, norm.Std[1]);
        Assert.Equal(0.25f, norm.Mean[2], 1e-6f);
        Assert.Equal(MathF.Sqrt(3) / 4, norm.Std[2], 1e-6f);
    }

    [Fact]
    public void ApplyWritesStandardisedChw()
    {
        var norm = new Normalization([0.5f, 0f], [0.25f, 2f]);
        var dst = new float[4];
        norm.Apply([255, 0, 51, 255], 2, dst);
        Assert.Equal(2f, dst[0], 1e-5f);        // (1 − 0.5) / 0.25
        Assert.Equal(-2f, dst[1], 1e-5f);       // (0 − 0.5) / 0.25
        Assert.Equal(0.1f, dst[2], 1e-5f);      // 0.2 / 2
        Assert.Equal(0.5f, dst[3], 1e-5f);
    }

    [Fact]
    public void TestSplitStatisticsDoNotAffectTrainNormalization()
    {
        // Same train split, wildly different test splits: Compute sees only what it is given.
        using var dark = DataFixtures.SolidSplits(trainValue: 100, testValue: 0);
        using var bright = DataFixtures.SolidSplits(trainValue: 100, testValue: 255);
        var a = Normalization.Compute(dark.Train);
        var b = Normalization.Compute(bright.Train);
        Assert.Equal(a.Mean, b.Mean);
        Assert.Equal(a.Std, b.Std);
        Assert.Equal(100 / 255f, a.Mean[0], 1e-6f);
        Assert.NotEqual(a.Mean[0], Normalization.Compute(bright.Test).Mean[0]);
    }

    [Fact]
    public void ApplyRejectsChannelMismatchAndShortDestination()
    {
        var norm = new Normalization([0f], [1f]);
        DataFixtures.AssertError(() => norm.Apply(new byte[6], 3, new float[6]), "1 means", "expected 3");
        DataFixtures.AssertError(() => norm.Apply(new byte[6], 1, new float[5]), "holds 5 floats");
        DataFixtures.AssertError(() => new Normalization([0f], [0f]).Apply(new byte[1], 1, new float[1]), "std 0");
    }

    [Fact]
    public void NoneOnlyScales()
    {
        var dst = new float[2];
        Normalization.None(1).Apply([0, 255], 1, dst);
        Assert.Equal([0f, 1f], dst);
    }
}
