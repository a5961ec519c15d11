using AutoGrad.Models;
using AutoGrad.Models.Data;
using AutoGrad.Models.IO;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;
using AutoGrad.Ops;
using AutoGrad.Tests.Reliability;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Models.Distributed;

/// <summary>
/// lenet5-plus (batch norm and dropout) on 2 ranks against an in-process oracle of the chosen semantics: each
/// rank normalises with its own slice's batch statistics (PyTorch DDP's default), draws dropout from
/// (seed, epoch, batch, rank), and the update uses Σ_r (n_r / n) ∇(mean loss of rank r's slice). The oracle
/// runs the two slices one after the other in one process. Compared: every trained parameter. Not compared:
/// batch-norm running statistics, which are rank 0's alone in the distributed run (the oracle's layers saw both
/// slices); they never enter training, only evaluation.
/// </summary>
[Trait("Category", "Slow")]
public class BatchNormDropoutSemanticsTests(ITestOutputHelper output)
{
    private const int Seed = 6, Batch = 32, Ranks = 2;

    [MpiFact]
    public void TwoRanksFollowPerRankBatchNormAndRankSeededDropout()
    {
        using var run = new TinyRun(train: 640, test: 64);   // 20 steps
        string dir = run.Out("two");
        // The reference below is plain cross-entropy, so the run turns off the command line's default label smoothing.
        var two = MpiProcess.Run(TimeSpan.FromMinutes(4), Ranks,
            ["train", "--data", run.Data, "--model", "lenet5-plus", "--epochs", "1", "--batch", $"{Batch}", "--threads", "1", "--seed", $"{Seed}", "--label-smoothing", "0", "--out", dir]);
        Assert.True(two.ExitCode == 0, two.Error);
        var trained = Checkpoint.Load(Path.Combine(dir, "last.safetensors")).Model;

        var oracle = Oracle(run.Data);
        double worst = 0;
        for (int k = 0; k < oracle.Parameters.Count; k++)
        {
            float[] want = oracle.Parameters[k].Value.Data, got = trained.Parameters[k].Value.Data;
            Assert.Equal(oracle.Parameters[k].Name, trained.Parameters[k].Name);
            for (int i = 0; i < want.Length; i++) worst = Math.Max(worst, Math.Abs(got[i] - want[i]) / (1 + Math.Abs(want[i])));
        }
        output.WriteLine($"largest |Δθ| / (1 + |θ|) after 20 steps: {worst:E3}");
        Assert.True(worst <= DataParallelEquivalenceTests.Tolerance, $"largest relative parameter difference {worst:E3} exceeds {DataParallelEquivalenceTests.Tolerance:E1}");
    }

    private static Model<float> Oracle(string data)
    {
        using var compute = Compute.Use(new ComputeSettings { Threads = 1 });
        var spec = ModelZoo.Resolve("lenet5-plus");
        using var splits = DatasetCatalog.Load(data, spec.Channels, spec.Height, spec.Width);
        var model = ModelBuilder.Build<float>(spec, splits.Train.Classes.Count, Seed);
        var options = new TrainOptions { Epochs = 1, BatchSize = Batch, Seed = Seed, OutputDirectory = "" };
        var optimizer = OptimizerFactory.Create(options.Optimizer, model.Parameters, options.Momentum, options.WeightDecay);
        var schedule = LearningRateSchedule.Parse(options.Schedule, options.LearningRate, options.Epochs, options.WarmupEpochs);
        var iterator = new BatchIterator(splits.Train, Normalization.Compute(splits.Train), Batch, shuffle: true, Seed);
        int sample = splits.Train.SampleSize, batches = iterator.BatchesPerEpoch;
        var images = new float[Batch * sample];
        var labels = new int[Batch];
        for (int b = 0; b < batches; b++)
        {
            int n = Math.Min(Batch, splits.Train.Count - b * Batch);
            var sums = model.Parameters.Select(p => new float[p.Value.Length]).ToArray();
            for (int r = 0; r < Ranks; r++)
            {
                int first = r * n / Ranks, count = (r + 1) * n / Ranks - first;
                iterator.Fill(0, b, images, labels, first, count);
                model.ZeroGrad();
                var input = Node<float>.Input(new Tensor<float>([count, .. model.InputShape], images[..(count * sample)]));
                var logits = model.Forward(input, new ForwardContext(training: true, new Random(SeedMix.Combine(Seed, 0, b, r))));
                SoftmaxCrossEntropy.Apply(logits, labels[..count]).Backprop();
                float scale = (float)((double)count / n);
                for (int k = 0; k < sums.Length; k++)
                    for (int i = 0; i < sums[k].Length; i++) sums[k][i] += model.Parameters[k].Grad!.Data[i] * scale;
            }
            for (int k = 0; k < sums.Length; k++) model.Parameters[k].Grad = new Tensor<float>(model.Parameters[k].Shape, sums[k]);
            optimizer.Step(schedule.At((double)b / batches));
        }
        return model;
    }
}
