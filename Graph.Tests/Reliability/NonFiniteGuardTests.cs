using AutoGrad.Models.IO;
using CliRunner = AutoGrad.Tests.Cli.Cli;

namespace AutoGrad.Tests.Reliability;

public class NonFiniteGuardTests
{
    [Fact]
    public void DivergingRunStopsNamingTheFirstBadNodeAndKeepsTheLastCheckpoint()
    {
        using var run = new TinyRun(train: 64, test: 16);
        string output = run.Out("diverge");
        var r = CliRunner.Run("train", "--data", run.Data, "--epochs", "2", "--batch", "8", "--lr", "1e30", "--momentum", "0",
            "--optimizer", "sgd", "--checkpoint-every", "1", "--threads", "1", "--out", output);
        Assert.Equal(1, r.ExitCode);
        string last = r.Error.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("error: epoch 1, batch ", last);
        Assert.Matches("non-finite (value first produced by node|gradient for)", last);
        Assert.Contains("last checkpoint kept", last);
        Assert.Contains("--lr", last);
        Assert.DoesNotContain("   at ", r.Error);
        // The checkpoint written before the failure is intact and loads.
        var checkpoint = Checkpoint.Load(Path.Combine(output, "last.safetensors"));
        Assert.Equal(10, checkpoint.Classes.Count);   // an IDX folder carries the ten MNIST class names
    }
}
