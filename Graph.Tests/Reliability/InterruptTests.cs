using System.Diagnostics;

namespace AutoGrad.Tests.Reliability;

/// <summary>
/// A stop signal makes training finish the current batch, save a resumable checkpoint and say how to resume.
/// SIGINT (Ctrl-C) and SIGTERM share one handler; the test sends SIGTERM because a process started in the
/// background by a non-interactive shell inherits SIGINT as ignored (so a CI runner may never deliver it).
/// </summary>
[Trait("Category", "Slow")]
public class InterruptTests
{
    [Fact]
    public async Task StopSignalStopsAfterTheBatchAndSaves()
    {
        using var run = new TinyRun();
        string output = run.Out("interrupted");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { AutogradProcess.Dll, "train", "--data", run.Data, "--epochs", "20", "--batch", "16", "--threads", "2", "--out", output })
            info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        // Training has started once the spec is written.
        while (!File.Exists(Path.Combine(output, "model.json")) && !p.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Thread.Sleep(300);
        Assert.False(p.HasExited, "training ended before it could be interrupted");
        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString()])) kill.WaitForExit();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)), "did not stop after SIGTERM");
        Assert.Equal(130, p.ExitCode);
        Assert.Contains("resume with: autograd train --resume", await stdout);
        Assert.Contains("stopping after this batch", await stderr);
        Assert.True(File.Exists(Path.Combine(output, "last.safetensors")));
        Assert.False(File.Exists(Path.Combine(output, "confusion.csv")));   // stopped early, not at the end
    }
}
