using AutoGrad.Models.Training;
using AutoGrad.Tests.Models.IO;

namespace AutoGrad.Tests.Models.Training;

/// <summary>Kernel settings travel with the run: two trainers in one process cannot change each other's.</summary>
public class TrainerConcurrencyTests
{
    [Fact]
    public void TwoTrainersOnTwoThreadsEachTrainAsTheyDoAlone()
    {
        using var folder = new TempFolder();
        // Different thread counts and convolution algorithms: the direct and GEMM kernels sum in different
        // orders, so a run that picked up the other run's algorithm would end with different weights.
        var a = TrainerTests.Options(folder.File("a"), epochs: 2) with { Threads = 1, Convolution = ConvAlgorithm.Gemm };
        var b = TrainerTests.Options(folder.File("b"), epochs: 2) with { Threads = 2, Convolution = ConvAlgorithm.Auto };
        var aloneA = Train(a with { OutputDirectory = folder.File("a-alone") }, null);
        var aloneB = Train(b with { OutputDirectory = folder.File("b-alone") }, null);

        // Both runs are past their first step before either goes on, so their steps overlap.
        using var barrier = new Barrier(2);
        (float[] Weights, List<ComputeSettings> Seen)? togetherA = null, togetherB = null;
        var threadA = new Thread(() => togetherA = Train(a, barrier));
        var threadB = new Thread(() => togetherB = Train(b, barrier));
        threadA.Start(); threadB.Start();
        threadA.Join(); threadB.Join();

        Assert.All(togetherA!.Value.Seen, s => Assert.Equal(a.Compute, s));
        Assert.All(togetherB!.Value.Seen, s => Assert.Equal(b.Compute, s));
        Assert.Equal(aloneA.Weights, togetherA.Value.Weights);
        Assert.Equal(aloneB.Weights, togetherB.Value.Weights);
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)   // else both take GEMM and the weights cannot tell them apart
            Assert.NotEqual(aloneA.Weights, aloneB.Weights);
    }

    private static (float[] Weights, List<ComputeSettings> Seen) Train(TrainOptions options, Barrier? barrier)
    {
        using var data = SyntheticImages.HalvesSplits(train: 16, test: 4);
        var model = TrainerTests.Build("lenet5", seed: 1);
        var trainer = new Trainer(model, data, options);
        var seen = new List<ComputeSettings>();
        bool waited = false;
        trainer.Progress += _ =>
        {
            seen.Add(Compute.Current);
            if (barrier is not null && !waited) { waited = true; barrier.SignalAndWait(TimeSpan.FromMinutes(2)); }
        };
        trainer.Run();
        return (model.StateTensors().SelectMany(t => t.Value.Data).ToArray(), seen);
    }
}
