using AutoGrad.Models;
using AutoGrad.Models.Data;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;
using AutoGrad.Tests.Models.IO;

namespace AutoGrad.Tests.Models.Training;

public class TrainerTests
{
    public static readonly string[] RunFiles =
    [
        "best.safetensors", "last.safetensors", "metrics.csv", "metrics.json", "loss.png", "accuracy.png",
        "confusion.png", "confusion.csv", "model.json",
    ];

    /// <summary>The run folder's files, and exactly one optimiser state file (named after its step count) for --resume.</summary>
    internal static void AssertRunFolder(string dir)
    {
        Assert.All(RunFiles, f => Assert.True(File.Exists(Path.Combine(dir, f)), f));
        Assert.Single(Directory.GetFiles(dir, "optimizer-*.safetensors"));
    }

    [Fact]
    public void ShortRunLowersTheLossAndWritesTheRunFolder()
    {
        using var folder = new TempFolder();
        using var data = SyntheticImages.HalvesSplits();
        var model = Build("lenet5", seed: 1);
        var norm = Normalization.Compute(data.Train);
        double before = Evaluation.Run(model, data.Train, norm).Loss;

        var result = new Trainer(model, data, Options(folder.File("run"), epochs: 3)).Run();

        double after = Evaluation.Run(model, data.Train, norm).Loss;
        Assert.True(after < before * 0.5, $"training loss {before} → {after}");
        Assert.Equal(3, result.Epochs.Count);
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss);
        Assert.NotNull(result.Final);
        Assert.Equal(1.0, result.Final!.Accuracy);   // the halves are separable; 8 test images
        AssertRunFolder(folder.File("run"));
    }

    [Fact]
    public void BestCheckpointIsWrittenEvenWhenValidationAccuracyIsZero()
    {
        // The run above reaches 100 % on the test halves; with the test labels swapped the same run scores exactly 0 %.
        using var folder = new TempFolder();
        using var data = new DataSplits(SyntheticImages.Halves("halves/train", 32, 1), null, SyntheticImages.Halves("swapped/test", 8, 2, swapLabels: true));
        var result = new Trainer(Build("lenet5", seed: 1), data, Options(folder.File("run"), epochs: 3)).Run();
        Assert.Equal(0.0, result.Final!.Accuracy);
        Assert.True(File.Exists(Path.Combine(folder.File("run"), "best.safetensors")), "a completed epoch should always leave a best checkpoint");
    }

    [Fact]
    public void SameSeedAndThreadsGiveIdenticalMetricsAndWeights()
    {
        using var folder = new TempFolder();
        // lenet5-plus exercises dropout masks and BatchNorm; augmentation exercises the seeded crops and flips.
        (TrainResult, Model<float>) Train(string dir, int seed)
        {
            using var data = SyntheticImages.HalvesSplits(train: 12, test: 4);
            var model = Build("lenet5-plus", seed);
            var options = Options(folder.File(dir), epochs: 2) with { Seed = seed, Augment = true, Optimizer = "adam", LearningRate = 1e-3 };
            return (new Trainer(model, data, options).Run(), model);
        }
        var (r1, m1) = Train("a", 5);
        var (r2, m2) = Train("b", 5);
        var (_, m3) = Train("c", 6);

        Assert.Equal(r1.Epochs.Select(e => e with { Seconds = 0 }), r2.Epochs.Select(e => e with { Seconds = 0 }));
        Assert.Equal(r1.Final!.Loss, r2.Final!.Loss);
        foreach (var ((name, a), (_, b)) in m1.StateTensors().Zip(m2.StateTensors())) Assert.True(a.Data.SequenceEqual(b.Data), name);
        Assert.False(m1.StateTensors().Zip(m3.StateTensors()).All(p => p.First.Value.Data.SequenceEqual(p.Second.Value.Data)), "a different seed should train differently");
    }

    [Fact]
    public void RunSetsTheThreadCountItWasGiven()
    {
        using var folder = new TempFolder();
        using var data = SyntheticImages.HalvesSplits(train: 4, test: 2);
        var before = Compute.Current;
        var trainer = new Trainer(Build("two-layer-net", 1), data, Options(folder.File("run"), epochs: 1) with { Threads = 1, Convolution = ConvAlgorithm.Gemm });
        var seen = new List<ComputeSettings>();
        trainer.Progress += _ => seen.Add(Compute.Current);   // raised inside the run, between steps
        trainer.Run();
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal(new ComputeSettings { Threads = 1, Convolution = ConvAlgorithm.Gemm }, s));
        Assert.Same(before, Compute.Current);   // the caller's settings are untouched afterwards
    }

    [Theory]
    [InlineData("Epochs", "`Epochs`")]
    [InlineData("BatchSize", "`BatchSize`")]
    [InlineData("LearningRate", "`LearningRate`")]
    [InlineData("Optimizer", "`Optimizer`")]
    [InlineData("Schedule", "`Schedule`")]
    [InlineData("Threads", "`Threads`")]
    public void BadOptionsFailBeforeTheRunFolderIsCreated(string option, string term)
    {
        using var folder = new TempFolder();
        using var data = SyntheticImages.HalvesSplits(train: 2, test: 2);
        var good = Options(folder.File("run"), epochs: 1);
        var bad = option switch
        {
            "Epochs" => good with { Epochs = 0 },
            "BatchSize" => good with { BatchSize = 0 },
            "LearningRate" => good with { LearningRate = 0 },
            "Optimizer" => good with { Optimizer = "lbfgs" },
            "Schedule" => good with { Schedule = "step:0" },
            _ => good with { Threads = 0 },
        };
        var e = Assert.Throws<AutoGradException>(() => new Trainer(Build("two-layer-net", 1), data, bad));
        Assert.Contains(term, e.Message);   // the CLI maps the library's term to its flag
        Assert.False(Directory.Exists(folder.File("run")), "the run folder should not exist after a validation error");
    }

    [Fact]
    public void ClassCountMismatchNamesModelAndData()
    {
        using var folder = new TempFolder();
        using var data = SyntheticImages.HalvesSplits(train: 2, test: 2);
        Assert.True(ModelZoo.TryGet("two-layer-net", out var spec));
        var e = Assert.Throws<AutoGradException>(() => new Trainer(ModelBuilder.Build<float>(spec, 10), data, Options(folder.File("run"), 1)));
        Assert.Contains("two-layer-net", e.Message);
        Assert.Contains("10", e.Message);
        Assert.Contains("2 classes", e.Message);
    }

    internal static TrainOptions Options(string output, int epochs) => new()
    {
        OutputDirectory = output, Epochs = epochs, BatchSize = 8, LearningRate = 0.01, Optimizer = "momentum",
        Schedule = "constant", WeightDecay = 0, Seed = 1, Threads = 2,
    };

    internal static Model<float> Build(string name, int seed)
    {
        Assert.True(ModelZoo.TryGet(name, out var spec));
        return ModelBuilder.Build<float>(spec, 2, seed);
    }
}
