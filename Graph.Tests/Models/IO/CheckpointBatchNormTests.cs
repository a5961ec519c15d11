using AutoGrad.Models;
using AutoGrad.Models.Data;
using AutoGrad.Models.IO;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Tests.Models.IO;

public class CheckpointBatchNormTests
{
    [Fact]
    public void RunningStatisticsTravelWithTheCheckpoint()
    {
        using var folder = new TempFolder();
        Assert.True(ModelZoo.TryGet("lenet5-plus", out var spec));
        var model = ModelBuilder.Build<float>(spec, 3, seed: 2);
        // One training-mode pass moves the running statistics away from (0, 1), so a loader that ignored buffers would differ.
        model.Forward(Node<float>.Input(ModelTests.Random(4, model.InputShape, 5)), new ForwardContext(training: true, new Random(1)));
        string path = folder.File("bn.safetensors");
        new Checkpoint(model, ["a", "b", "c"], Normalization.None(1)).Save(path);

        var loaded = Checkpoint.Load(path).Model;
        var before = model.StateTensors().ToDictionary(s => s.Name, s => s.Value.Data);
        Assert.NotEqual(new float[32], before["bn1.running_mean"]);
        foreach (var (name, value) in loaded.StateTensors()) Assert.Equal(before[name], value.Data);
        var batch = ModelTests.Random(2, model.InputShape, 6);
        Assert.Equal(model.Forward(Node<float>.Input(batch), new ForwardContext(false)).Value.Data,
            loaded.Forward(Node<float>.Input(batch), new ForwardContext(false)).Value.Data);
    }
}
