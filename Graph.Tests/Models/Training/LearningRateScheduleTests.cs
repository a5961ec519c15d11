using AutoGrad.Models.Training;

namespace AutoGrad.Tests.Models.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void ConstantNeverChanges()
    {
        var s = LearningRateSchedule.Parse("constant", 0.05, 10, 0);
        Assert.All(new[] { 0, 0.5, 3, 9.99, 10 }, t => Assert.Equal(0.05, s.At(t)));
    }

    [Fact]
    public void StepMultipliesByGammaEveryPeriod()
    {
        var s = LearningRateSchedule.Parse("step:2:0.5", 0.8, 10, 0);
        Assert.Equal(0.8, s.At(0), 12);
        Assert.Equal(0.8, s.At(1.99), 12);
        Assert.Equal(0.4, s.At(2), 12);
        Assert.Equal(0.2, s.At(4.5), 12);
        Assert.Equal(0.8 * Math.Pow(0.5, 4), s.At(9), 12);
    }

    [Fact]
    public void StepGammaDefaultsToOneTenth()
    {
        var s = LearningRateSchedule.Parse("step:3", 1, 10, 0);
        Assert.Equal(1, s.At(2.9), 12);
        Assert.Equal(0.1, s.At(3), 12);
        Assert.Equal(0.01, s.At(6), 12);
    }

    [Fact]
    public void CosineRunsFromTheBaseRateToZero()
    {
        var s = LearningRateSchedule.Parse("cosine", 0.1, 8, 0);
        Assert.Equal(0.1, s.At(0), 12);
        Assert.Equal(0.05, s.At(4), 12);
        Assert.Equal(0.1 * 0.5 * (1 + Math.Cos(Math.PI / 4)), s.At(2), 12);
        Assert.Equal(0, s.At(8), 12);
        var samples = Enumerable.Range(0, 81).Select(i => s.At(i / 10.0)).ToList();
        Assert.True(samples.Zip(samples.Skip(1)).All(p => p.Second <= p.First), "cosine must not increase");
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("cosine")]
    [InlineData("step:3:0.5")]
    public void WarmupIsLinearAndReachesTheBaseRate(string kind)
    {
        const double baseRate = 0.2, warmup = 2;
        var s = LearningRateSchedule.Parse(kind, baseRate, 10, warmup);
        // Linear: equal steps in t give equal steps in the rate, with slope base/warmup.
        double a = s.At(0.25), b = s.At(0.75), c = s.At(1.25);
        Assert.Equal(b - a, c - b, 12);
        Assert.Equal(baseRate / warmup * 0.5, b - a, 12);
        Assert.True(s.At(0) > 0 && s.At(0) < baseRate * 0.01, $"warm-up starts near zero, got {s.At(0)}");
        Assert.Equal(baseRate, s.At(warmup - 1e-9), baseRate * 1e-3);
        Assert.Equal(baseRate, s.At(warmup), 12);
    }

    [Fact]
    public void CosineAfterWarmupStillEndsAtZero()
    {
        var s = LearningRateSchedule.Parse("cosine", 0.2, 10, 2);
        Assert.Equal(0.1, s.At(6), 12);   // halfway through the 8 post-warm-up epochs
        Assert.Equal(0, s.At(10), 12);
    }

    [Theory]
    [InlineData("")]
    [InlineData("linear")]
    [InlineData("Cosine")]
    [InlineData("cosine:3")]
    [InlineData("constant:0.1")]
    [InlineData("step")]
    [InlineData("step:")]
    [InlineData("step:0")]
    [InlineData("step:-2")]
    [InlineData("step:x")]
    [InlineData("step:2:0")]
    [InlineData("step:2:-0.5")]
    [InlineData("step:2:1.5")]
    [InlineData("step:2:nan")]
    [InlineData("step:2:0.5:1")]
    [InlineData("step:2.5:0.5")]
    public void BadScheduleStringsNameTheFlagAndTheValue(string text)
    {
        var e = Assert.Throws<AutoGradException>(() => LearningRateSchedule.Parse(text, 0.1, 10, 0));
        Assert.Contains("`Schedule`", e.Message);
        Assert.Contains($"'{text}'", e.Message);
    }

    [Theory]
    [InlineData(0.0, 0.0, "`LearningRate`")]
    [InlineData(-0.1, 0.0, "`LearningRate`")]
    [InlineData(double.NaN, 0.0, "`LearningRate`")]
    [InlineData(double.PositiveInfinity, 0.0, "`LearningRate`")]
    [InlineData(0.1, -1.0, "`WarmupEpochs`")]
    [InlineData(0.1, 10.0, "`WarmupEpochs`")]
    public void BadRateOrWarmupNamesTheFlag(double rate, double warmup, string flag)
    {
        var e = Assert.Throws<AutoGradException>(() => LearningRateSchedule.Parse("constant", rate, 10, warmup));
        Assert.Contains(flag, e.Message);
    }
}
