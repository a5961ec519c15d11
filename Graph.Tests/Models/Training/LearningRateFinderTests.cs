using AutoGrad.Models;
using AutoGrad.Models.Data;
using AutoGrad.Models.Reporting;
using AutoGrad.Models.Training;
using AutoGrad.Tests.Models.IO;

namespace AutoGrad.Tests.Models.Training;

public class LearningRateFinderTests
{
    private const double L = 100;   // the largest curvature: gradient descent diverges above 2/L

    /// <summary>
    /// Gradient descent on f(w) = ½ Σ λ_j w_j², λ spread log-evenly over [1, L]: converges for rates in (0, 2/L), diverges
    /// above. Each call returns the loss before the step (as a training step reports its batch loss) and then steps.
    /// </summary>
    private static Func<double, int, double> Quadratic()
    {
        const int d = 10;
        var lambda = Enumerable.Range(0, d).Select(j => Math.Pow(L, j / (d - 1.0))).ToArray();
        var w = Enumerable.Repeat(1.0, d).ToArray();
        return (rate, _) =>
        {
            double loss = 0;
            for (int j = 0; j < d; j++) loss += 0.5 * lambda[j] * w[j] * w[j];
            for (int j = 0; j < d; j++) w[j] -= rate * lambda[j] * w[j];
            return loss;
        };
    }

    [Fact]
    public void SuggestsARateInsideTheConvergentRangeOfAQuadratic()
    {
        var result = new LearningRateFinder(MinRate: 1e-6, MaxRate: 10, Steps: 300).Run(Quadratic());
        Assert.True(result.Diverged, "the test should stop when the loss diverges");
        Assert.True(result.Points[^1].LearningRate > 2 / L, $"stopped at {result.Points[^1].LearningRate}, before the divergence at {2 / L}");
        Assert.True(result.Points.Count < 300);
        // Known-good: below 2/L (else it diverges) and at least 1 % of it (else it barely moves).
        Assert.InRange(result.Suggested, 0.01 * 2 / L, 2 / L);
    }

    [Fact]
    public void SmoothedLossIsBiasCorrected()
    {
        var result = new LearningRateFinder(Steps: 5, Smoothing: 0.9).Run((_, i) => i == 0 ? 2.0 : 4.0);
        Assert.Equal(2.0, result.Points[0].Smoothed, 12);   // no bias toward 0 at the start
        Assert.Equal((0.9 * 0.1 * 2 + 0.1 * 4) / (1 - 0.81), result.Points[1].Smoothed, 12);
    }

    [Fact]
    public void RatesGrowExponentiallyFromMinToMax()
    {
        var finder = new LearningRateFinder(MinRate: 1e-4, MaxRate: 1, Steps: 5);
        Assert.Equal([1e-4, 1e-3, 1e-2, 1e-1, 1], Enumerable.Range(0, 5).Select(i => Math.Round(finder.RateAt(i), 12)));
    }

    [Fact]
    public void BadRangesAreRefused() =>
        Assert.Contains("`MinRate`", Assert.Throws<AutoGradException>(() => new LearningRateFinder(MinRate: 1, MaxRate: 0.1).Run((_, _) => 1)).Message);

    [Fact]
    [Trait("Category", "Slow")]
    public void RunsThroughTheTrainingStepAndPlots()
    {
        using var folder = new TempFolder();
        using var data = SyntheticImages.HalvesSplits(train: 64);
        var model = TrainerTests.Build("lenet5", seed: 1);
        var options = TrainerTests.Options(folder.File("unused"), epochs: 1) with { Optimizer = "sgd" };
        var result = new LearningRateFinder(MinRate: 1e-5, MaxRate: 100, Steps: 60).Run(model, data.Train, Normalization.Compute(data.Train), options);
        // The halves are separable: lenet5 drives the loss toward 0 without diverging, so the test runs all its steps.
        Assert.Equal(60, result.Points.Count);
        Assert.True(result.Points[^1].Smoothed < result.Points[0].Smoothed / 2, "training at growing rates should lower the smoothed loss");
        Assert.InRange(result.Suggested, 1e-5, result.Points[^1].LearningRate);
        string png = folder.File("lr-find.png");
        LearningRatePlot.Save(png, result);
        Assert.True(new FileInfo(png).Length > 1000);
        Assert.Contains("\"suggested\"", result.ToJson());
    }
}
