namespace AutoGrad.Tests.Reliability;

/// <summary>
/// Crash safety end to end, in child processes: a run killed with SIGKILL right after a checkpoint and then
/// resumed ends byte-identical to an uninterrupted run; two equal runs write byte-identical checkpoints.
/// </summary>
[Trait("Category", "Slow")]
public class KillAndResumeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private static string[] Args(TinyRun run, string output, params string[] more) =>
        ["train", "--data", run.Data, "--model", "lenet5", "--epochs", "3", "--batch", "16", "--threads", "2", "--seed", "3",
         "--checkpoint-every", "25", "--out", output, .. more];

    [Fact]
    public void KilledRunResumesToTheBitIdenticalResult()
    {
        using var run = new TinyRun();
        string straight = run.Out("straight"), killed = run.Out("killed");
        var (code, _, error) = AutogradProcess.Run(Limit, Args(run, straight));
        Assert.True(code == 0, error);

        using (var p = AutogradProcess.Start(Args(run, killed)))
        {
            // Kill as soon as a checkpoint past step 100 exists (mid-epoch 1 of 3).
            var deadline = DateTime.UtcNow + Limit;
            bool CheckpointPast100() => Directory.Exists(killed) && Directory.GetFiles(killed, "optimizer-*.safetensors").Any(f => Step(f) >= 100);
            while (!p.HasExited && DateTime.UtcNow < deadline && !CheckpointPast100()) Thread.Sleep(5);
            Assert.False(p.HasExited, "the run finished before it could be killed; make the workload longer");
            p.Kill(entireProcessTree: true);   // SIGKILL
            p.WaitForExit();
        }
        Assert.True(File.Exists(Path.Combine(killed, "last.safetensors")));
        Assert.False(File.Exists(Path.Combine(killed, "confusion.csv")));   // it really stopped early

        // The README's resume: only the folder (and the thread count) — the run's own settings come from its checkpoint.
        var resumed = AutogradProcess.Run(Limit, ["train", "--resume", killed, "--threads", "2"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("resuming", resumed.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "last.safetensors")), File.ReadAllBytes(Path.Combine(killed, "last.safetensors")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "best.safetensors")), File.ReadAllBytes(Path.Combine(killed, "best.safetensors")));
    }

    [Fact]
    public void TwoRunsWithTheSameSeedWriteIdenticalCheckpoints()
    {
        using var run = new TinyRun(train: 300, test: 60);
        string a = run.Out("a"), b = run.Out("b");
        foreach (var dir in new[] { a, b })
        {
            var (code, _, error) = AutogradProcess.Run(Limit, ["train", "--data", run.Data, "--epochs", "2", "--batch", "32", "--threads", "2", "--out", dir]);
            Assert.True(code == 0, error);
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "last.safetensors")), File.ReadAllBytes(Path.Combine(b, "last.safetensors")));
        var c = run.Out("c");
        Assert.Equal(0, AutogradProcess.Run(Limit, ["train", "--data", run.Data, "--epochs", "2", "--batch", "32", "--threads", "2", "--seed", "9", "--out", c]).ExitCode);
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a, "last.safetensors")), File.ReadAllBytes(Path.Combine(c, "last.safetensors")));
    }

    private static long Step(string optimizerFile) =>
        long.TryParse(Path.GetFileNameWithoutExtension(optimizerFile)["optimizer-".Length..], out long s) ? s : -1;
}
