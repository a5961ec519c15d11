using System.Diagnostics;
using System.Text.Json;
using AutoGrad.Tests.Reliability;
using AutoGrad.Tests.Models.Data;

namespace AutoGrad.Tests.Models.Distributed;

/// <summary>
/// What a user sees when a distributed run goes wrong, or is resumed: a failing rank ends the job with rank 0
/// naming it, within bounded time (a hang fails the test through the process timeout); a batch the ranks cannot
/// share is refused before any work; a run killed with SIGKILL on one rank resumes to the bytes of an
/// uninterrupted run; another rank count is refused; a 2-rank checkpoint evaluates alone to rank 0's accuracy.
/// </summary>
[Trait("Category", "Slow")]
public class DataParallelFaultTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [MpiFact]
    public void ARankWithADamagedCopyOfTheDataEndsTheJobWithRankZeroNamingIt()
    {
        using var files = new DataFixtures();
        foreach (var copy in new[] { "good", "damaged" })
            for (int i = 0; i < 8; i++)
            {
                files.WriteGray($"{copy}/train/dark/{i}.png", 28, 28, (byte)(20 + i));
                files.WriteGray($"{copy}/train/light/{i}.png", 28, 28, (byte)(220 - i));
                files.WriteGray($"{copy}/test/dark/{i}.png", 28, 28, (byte)(30 + i));
                files.WriteGray($"{copy}/test/light/{i}.png", 28, 28, (byte)(210 - i));
            }
        // Rank 1 decodes the odd-numbered files (dark/1, dark/3, …): damage one of those in its copy.
        files.WriteText("damaged/train/dark/3.png", "not a PNG: the copy to this host was interrupted");
        string[] Train(string data) => ["train", "--data", files.PathOf(data), "--epochs", "1", "--batch", "4", "--threads", "1", "--out", files.PathOf("run")];
        var clock = Stopwatch.StartNew();
        var (code, _, error) = MpiProcess.Run(TimeSpan.FromMinutes(2), MpiProcess.Info([(1, Train("good")), (1, Train("damaged"))]));
        clock.Stop();
        Assert.NotEqual(0, code);
        Assert.Contains("error: rank 1 of 2", error);
        Assert.Contains(Path.Combine("damaged", "train", "dark", "3.png"), error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the job took {clock.Elapsed} to end");
        Assert.False(File.Exists(files.PathOf("run/last.safetensors")));
    }

    [MpiFact]
    public void RanksThatListDifferentFilesAreRefusedBeforeDecoding()
    {
        // Each rank decodes only its share, so the ranks must agree on the list; a copy with an extra file is refused.
        using var files = new DataFixtures();
        foreach (var copy in new[] { "a", "b" })
            for (int i = 0; i < 4; i++)
            {
                files.WriteGray($"{copy}/train/dark/{i}.png", 28, 28, (byte)(20 + i));
                files.WriteGray($"{copy}/test/dark/{i}.png", 28, 28, (byte)(30 + i));
                files.WriteGray($"{copy}/train/light/{i}.png", 28, 28, (byte)(220 - i));
                files.WriteGray($"{copy}/test/light/{i}.png", 28, 28, (byte)(210 - i));
            }
        files.WriteGray("b/train/light/extra.png", 28, 28, 200);
        string[] Train(string data) => ["train", "--data", files.PathOf(data), "--epochs", "1", "--batch", "4", "--threads", "1", "--out", files.PathOf("run")];
        var (code, _, error) = MpiProcess.Run(TimeSpan.FromMinutes(2), MpiProcess.Info([(1, Train("a")), (1, Train("b"))]));
        Assert.NotEqual(0, code);
        Assert.Contains("rank 1 lists 9 files, rank 0 8; every rank must see the same data at the same path", error);
        Assert.DoesNotContain("decoding", error);
    }

    [MpiFact]
    public void ABatchTheRanksCannotShareIsRefusedBeforeAnyWork()
    {
        using var run = new TinyRun(train: 64, test: 16);
        var (code, _, error) = MpiProcess.Run(Limit, 2, ["train", "--data", run.Data, "--batch", "33", "--threads", "1", "--out", run.Out("odd")]);
        Assert.NotEqual(0, code);
        Assert.Contains("error: batch size 33 does not divide evenly over 2 ranks", error);
        Assert.DoesNotContain("training lenet5", error);
        Assert.False(Directory.Exists(run.Out("odd")));
    }

    [MpiFact]
    public void KilledRankResumesToTheBitIdenticalResultAndOtherRankCountsAreRefused()
    {
        using var run = new TinyRun(train: 1600, test: 100);
        string straight = run.Out("straight"), killed = run.Out("killed");
        string[] Args(string dir) => ["train", "--data", run.Data, "--epochs", "2", "--batch", "16", "--threads", "1", "--seed", "3", "--checkpoint-every", "20", "--out", dir];
        var whole = MpiProcess.Run(Limit, 2, Args(straight));
        Assert.True(whole.ExitCode == 0, whole.Error);

        var info = MpiProcess.Info(2, Args(killed));
        using (var job = Process.Start(info)!)
        {
            job.OutputDataReceived += (_, _) => { };
            job.ErrorDataReceived += (_, _) => { };
            job.BeginOutputReadLine();
            job.BeginErrorReadLine();
            var deadline = DateTime.UtcNow + Limit;
            bool Past(int step) => Directory.Exists(killed) && Directory.GetFiles(killed, "optimizer-*.safetensors").Any(f => Step(f) >= step);
            while (!job.HasExited && DateTime.UtcNow < deadline && !Past(60)) Thread.Sleep(5);
            Assert.False(job.HasExited, "the run finished before a rank could be killed; make the workload longer");
            var rank = RankProcesses(job.Id).Last();   // SIGKILL one rank, not the launcher
            rank.Kill();
            Assert.True(job.WaitForExit(30_000), "the job went on after a rank was killed");
            Assert.NotEqual(0, job.ExitCode);
        }
        Assert.False(File.Exists(Path.Combine(killed, "confusion.csv")));   // it really stopped early

        var refused = AutogradProcess.Run(Limit, ["train", "--resume", killed, "--threads", "1"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("2 rank(s) but 1 are running", refused.Error);

        var resumed = MpiProcess.Run(Limit, 2, ["train", "--resume", killed, "--threads", "1"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("resuming", resumed.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "last.safetensors")), File.ReadAllBytes(Path.Combine(killed, "last.safetensors")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "best.safetensors")), File.ReadAllBytes(Path.Combine(killed, "best.safetensors")));

        // The checkpoint, evaluated by one process, gives the accuracy rank 0 reported (to the last bit: sharded
        // evaluation only adds up counts).
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(straight, "metrics.json"))).RootElement;
        double reported = metrics[metrics.GetArrayLength() - 1].GetProperty("val_accuracy").GetDouble();
        var eval = AutogradProcess.Run(Limit, ["eval", "--checkpoint", Path.Combine(straight, "last.safetensors"), "--data", run.Data, "--threads", "1", "--json"]);
        Assert.True(eval.ExitCode == 0, eval.Error);
        double accuracy = JsonDocument.Parse(eval.Output).RootElement.GetProperty("accuracy").GetDouble();
        Assert.Equal(reported, accuracy);
        Assert.Contains($"accuracy {accuracy:P2}", whole.Output);
    }

    private static long Step(string optimizerFile) =>
        long.TryParse(Path.GetFileNameWithoutExtension(optimizerFile)["optimizer-".Length..], out long s) ? s : -1;

    /// <summary>The rank processes of an mpiexec job: descendants of the launcher running autograd.dll, in pid order.</summary>
    private static List<Process> RankProcesses(int launcher)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out int pid))
                try { parents[pid] = int.Parse(File.ReadAllText($"{dir}/stat").Split(") ")[1].Split(' ')[1]); } catch (IOException) { }
        bool Descends(int pid) { for (int p = pid; parents.TryGetValue(p, out int up) && up > 1; p = up) if (up == launcher) return true; return false; }
        return parents.Keys.Where(Descends).Order()
            .Where(pid => { try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains("autograd.dll"); } catch (IOException) { return false; } })
            .Select(Process.GetProcessById).ToList();
    }
}
