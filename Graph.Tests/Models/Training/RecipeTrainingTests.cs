using System.Text.Json;
using AutoGrad.Models.Training;
using AutoGrad.Tests.Models.IO;

namespace AutoGrad.Tests.Models.Training;

/// <summary>Early stopping and the weight average inside real (tiny) training runs.</summary>
[Trait("Category", "Slow")]
public class RecipeTrainingTests
{
    [Fact]
    public void EarlyStopEndsTheRunAndSaysWhy()
    {
        using var folder = new TempFolder();
        using var data = SyntheticImages.HalvesSplits();
        string dir = folder.File("run");
        // A rate too small to change any prediction: the accuracy never beats epoch 1, so patience 2 stops after epoch 3.
        var options = TrainerTests.Options(dir, epochs: 8) with { LearningRate = 1e-12, EarlyStop = 2 };
        var result = new Trainer(TrainerTests.Build("lenet5", seed: 1), data, options).Run();
        Assert.Equal(3, result.Epochs.Count);
        Assert.NotNull(result.StopReason);
        using var stop = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, RunFolder.StopFile)));
        Assert.Equal("early_stop", stop.RootElement.GetProperty("stop_reason").GetString());
        Assert.Contains("since epoch 1", stop.RootElement.GetProperty("message").GetString());
        Assert.True(File.Exists(Path.Combine(dir, "best.safetensors")));
    }

    [Fact]
    public void AveragedRunStoppedAndResumedEndsByteIdenticalToAnUninterruptedOne()
    {
        using var folder = new TempFolder();
        using var data = SyntheticImages.HalvesSplits(train: 64, test: 16);
        string straight = folder.File("straight"), stopped = folder.File("stopped");
        TrainOptions Options(string dir) => TrainerTests.Options(dir, epochs: 3) with { Ema = 0.9 };
        var full = new Trainer(TrainerTests.Build("lenet5-plus", seed: 2), data, Options(straight)).Run();
        Assert.False(full.Cancelled);

        using (var cancel = new CancellationTokenSource())
        {
            var first = new Trainer(TrainerTests.Build("lenet5-plus", seed: 2), data, Options(stopped));
            first.Progress += p => { if (p.Epoch == 2 && p.Batch == 3) cancel.Cancel(); };   // mid-epoch 2: the average is mid-way too
            Assert.True(first.Run(cancel: cancel.Token).Cancelled);
        }
        var resumed = ResumedRun.Open(stopped, Options(stopped), new HashSet<string>());
        var trainer = resumed.CreateTrainer(data);
        Assert.NotNull(trainer.Average);
        Assert.False(trainer.Run(resumed.State).Cancelled);

        foreach (string file in new[] { "last.safetensors", "best.safetensors" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(straight, file)), File.ReadAllBytes(Path.Combine(stopped, file)));
        string optimizer = Path.GetFileName(Directory.GetFiles(straight, "optimizer-*.safetensors").Single());
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, optimizer)), File.ReadAllBytes(Path.Combine(stopped, optimizer)));
    }

    [Fact]
    public void BestCheckpointHoldsTheAveragedWeights()
    {
        using var folder = new TempFolder();
        using var data = SyntheticImages.HalvesSplits();
        string dir = folder.File("run");
        var trainer = new Trainer(TrainerTests.Build("lenet5", seed: 1), data, TrainerTests.Options(dir, epochs: 1) with { Ema = 0.99 });
        trainer.Run();
        var best = AutoGrad.Models.IO.Checkpoint.Load(Path.Combine(dir, "best.safetensors")).Model.Parameters[0].Value.Data;
        var averaged = trainer.Average!.State().First().Data;
        var live = trainer.Average.Model.Parameters[0].Value.Data;
        Assert.Equal(averaged, best);
        Assert.NotEqual(live, best);
    }
}
