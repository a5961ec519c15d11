using AutoGrad.Models.Training;

namespace AutoGrad.Tests.Models.Training;

public class EarlyStoppingTests
{
    /// <summary>Feeds scripted accuracies one epoch at a time; returns the number of epochs trained before the rule stopped (or all).</summary>
    private static int EpochsRun(int patience, params double[] accuracies)
    {
        var rule = new EarlyStopping(patience);
        var seen = new List<double>();
        foreach (double a in accuracies)
        {
            if (rule.ShouldStop(seen)) break;
            seen.Add(a);
        }
        return seen.Count;
    }

    [Theory]
    [InlineData(2, new[] { 0.5, 0.6, 0.7, 0.65, 0.66, 0.9, 0.95 }, 5)]   // best at 3, epochs 4 and 5 fail to beat it
    [InlineData(1, new[] { 0.5, 0.6, 0.6, 0.9 }, 3)]                      // a tie is not an improvement
    [InlineData(3, new[] { 0.5, 0.4, 0.3, 0.6, 0.5, 0.5, 0.5, 0.9 }, 7)]  // the count restarts at the new best (epoch 4)
    [InlineData(2, new[] { 0.1, 0.2, 0.3, 0.4 }, 4)]                      // always improving: runs every epoch
    [InlineData(0, new[] { 0.9, 0.1, 0.1, 0.1 }, 4)]                      // 0 = off
    public void StopsAtTheRightEpoch(int patience, double[] accuracies, int expected) =>
        Assert.Equal(expected, EpochsRun(patience, accuracies));

    [Fact]
    public void BestIsTheFirstEpochThatReachedIt()
    {
        Assert.Equal(1, EarlyStopping.BestEpoch([0.2, 0.7, 0.7, 0.5]));
        Assert.Equal(-1, EarlyStopping.BestEpoch([]));
        Assert.Contains("since epoch 2", new EarlyStopping(2).Reason([0.2, 0.7, 0.7, 0.5]));
    }
}
