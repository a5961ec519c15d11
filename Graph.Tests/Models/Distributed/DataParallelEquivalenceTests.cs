using AutoGrad.Models.IO;
using AutoGrad.Tests.Reliability;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Models.Distributed;

/// <summary>
/// A 2-rank run (one thread per rank) against a single process with the same global batch: the same update
/// up to float32 summation order, and byte-identical checkpoints from run to run.
/// </summary>
[Trait("Category", "Slow")]
public class DataParallelEquivalenceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    /// <summary>Largest |θ_2 ranks − θ_1 process| / (1 + |θ|) accepted after a few dozen steps; derived in docs/distributed.md.</summary>
    public const double Tolerance = 1e-4;

    // 960 samples / batch 32 = 30 steps; momentum SGD, cosine schedule, weight decay: the trainer's defaults.
    private static string[] Args(TinyRun run, string dir, string model = "lenet5") =>
        ["train", "--data", run.Data, "--model", model, "--epochs", "1", "--batch", "32", "--threads", "1", "--seed", "4", "--out", dir];

    [MpiFact]
    public void TwoRanksMatchOneProcessParameterByParameter()
    {
        using var run = new TinyRun(train: 960, test: 100);
        string single = run.Out("single"), twoA = run.Out("two-a"), twoB = run.Out("two-b");
        var one = AutogradProcess.Run(Limit, Args(run, single));
        Assert.True(one.ExitCode == 0, one.Error);
        foreach (var dir in new[] { twoA, twoB })
        {
            var two = MpiProcess.Run(Limit, 2, Args(run, dir));
            Assert.True(two.ExitCode == 0, two.Error);
        }
        var expected = Load(single);
        var actual = Load(twoA);
        double worst = 0;
        foreach (var (name, value) in expected)
        {
            var got = actual[name];
            for (int i = 0; i < value.Length; i++)
                worst = Math.Max(worst, Math.Abs(got[i] - value[i]) / (1 + Math.Abs(value[i])));
        }
        output.WriteLine($"largest |Δθ| / (1 + |θ|) after 30 steps: {worst:E3}");
        Assert.True(worst <= Tolerance, $"largest relative parameter difference {worst:E3} exceeds {Tolerance:E1}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(twoA, "last.safetensors")), File.ReadAllBytes(Path.Combine(twoB, "last.safetensors")));
    }

    private static Dictionary<string, float[]> Load(string dir) =>
        Checkpoint.Load(Path.Combine(dir, "last.safetensors")).Model.StateTensors().ToDictionary(s => s.Name, s => s.Value.Data);
}
