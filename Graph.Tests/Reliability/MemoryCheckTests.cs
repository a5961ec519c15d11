using AutoGrad.Models;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Tests.Reliability;

public class MemoryCheckTests
{
    [Fact]
    public void BatchThatCannotFitIsRefusedBeforeTraining()
    {
        ModelZoo.TryGet("lenet5", out var spec);
        var model = ModelBuilder.Build<float>(spec, 10);
        // lenet5 activations per image: 4·(6·28·28·2 + 6·14·14 + 16·10·10·2 + 16·5·5·2 + 120·2 + 84·2 + 10) + input 4·784 bytes.
        long perImage = 4L * (6 * 784 * 2 + 6 * 196 + 1600 * 2 + 400 * 2 + 240 + 168 + 10) + 4 * 784;
        long expected = model.ParameterCount * 16 + perImage * 64 * 3;
        Assert.Equal(expected, MemoryCheck.EstimateBytes(model, 64));
        MemoryCheck.EnsureFits(model, 64, available: expected * 2);
        var e = Assert.Throws<AutoGradException>(() => MemoryCheck.EnsureFits(model, 64, available: expected / 2));
        Assert.StartsWith("`BatchSize` 64:", e.Message);
        Assert.Contains("lower `BatchSize`", e.Message);
    }
}
