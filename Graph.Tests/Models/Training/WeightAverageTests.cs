using AutoGrad.Models;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Tests.Models.Training;

public class WeightAverageTests
{
    private static Model<float> Small()
    {
        Assert.True(ModelZoo.TryGet("lenet5-plus", out var spec));   // has batch-norm buffers
        return ModelBuilder.Build<float>(spec, 3, seed: 4);
    }

    [Fact]
    public void AverageEqualsAFloat64ReferenceOfWeightsAndBatchNormStatistics()
    {
        var model = Small();
        var average = new WeightAverage(model, 0.6);
        var state = model.StateTensors().ToList();
        Assert.Contains(state, s => s.Name.EndsWith(".running_var", StringComparison.Ordinal));
        var reference = state.Select(s => s.Value.Data.Select(v => (double)v).ToArray()).ToList();
        var rng = new Random(7);
        for (int step = 1; step <= 25; step++)   // (1+k)/(10+k) passes 0.6 at k = 13: both the warm-up and the fixed decay
        {
            foreach (var (_, value) in state)
                for (int i = 0; i < value.Length; i++) value.Data[i] += (float)(rng.NextDouble() - 0.5);
            average.Update(step);
            double d = Math.Min(0.6, (1.0 + step) / (10.0 + step));
            for (int t = 0; t < state.Count; t++)
                for (int i = 0; i < reference[t].Length; i++) reference[t][i] = d * reference[t][i] + (1 - d) * state[t].Value.Data[i];
        }
        var shadow = average.State().ToDictionary(s => s.Name, s => s.Data);
        for (int t = 0; t < state.Count; t++)
            for (int i = 0; i < reference[t].Length; i++)
                Assert.True(Math.Abs(shadow[WeightAverage.Prefix + state[t].Name][i] - reference[t][i]) <= 1e-5 * (1 + Math.Abs(reference[t][i])),
                    $"{state[t].Name}[{i}]: {shadow[WeightAverage.Prefix + state[t].Name][i]} vs {reference[t][i]}");
    }

    [Fact]
    public void DecayWarmsUpToTheGivenValue()
    {
        var average = new WeightAverage(Small(), 0.999);
        Assert.Equal(2.0 / 11, average.DecayAt(1), 12);
        Assert.Equal(101.0 / 110, average.DecayAt(100), 12);
        Assert.Equal(0.999, average.DecayAt(1_000_000), 12);
    }

    [Fact]
    public void SwapShowsTheAverageAndRestoresTheLiveWeights()
    {
        var model = Small();
        var average = new WeightAverage(model, 0.5);
        var weight = model.Parameters[0].Value.Data;
        float initial = weight[0];
        weight[0] = initial + 10;
        average.Update(1_000);   // decay 0.5: shadow = initial + 5
        using (average.Swap()) Assert.Equal(initial + 5, weight[0], 4);
        Assert.Equal(initial + 10, weight[0]);
    }

    [Fact]
    public void DecayOutsideTheOpenUnitIntervalIsRefused() =>
        Assert.Contains("`Ema`", Assert.Throws<AutoGradException>(() => new WeightAverage(Small(), 1.0)).Message);
}
