using System.Diagnostics;
using AutoGrad.Tests.Reliability;

namespace AutoGrad.Tests.Models.Distributed;

/// <summary>Runs the built <c>autograd</c> CLI under MPICH's mpiexec, each rank a <c>dotnet autograd.dll</c> process.</summary>
public static class MpiProcess
{
    /// <summary>mpiexec.mpich (preferred: plain mpiexec may be Open MPI's) or mpiexec from PATH; null when neither exists.</summary>
    public static string? Launcher { get; } = Find("mpiexec.mpich") ?? Find("mpiexec");

    /// <summary>The same arguments on every rank.</summary>
    public static ProcessStartInfo Info(int ranks, params string[] args) => Info([(ranks, args)]);

    /// <summary>MPMD: a group of ranks per entry, each with its own arguments (e.g. one rank with a damaged copy of the data).</summary>
    public static ProcessStartInfo Info(IReadOnlyList<(int Ranks, string[] Args)> groups)
    {
        var info = new ProcessStartInfo(Launcher!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        for (int g = 0; g < groups.Count; g++)
        {
            if (g > 0) info.ArgumentList.Add(":");
            info.ArgumentList.Add("-n");
            info.ArgumentList.Add(groups[g].Ranks.ToString());
            info.ArgumentList.Add("dotnet");
            info.ArgumentList.Add(AutogradProcess.Dll);
            foreach (var a in groups[g].Args) info.ArgumentList.Add(a);
        }
        return info;
    }

    public static (int ExitCode, string Output, string Error) Run(TimeSpan timeout, int ranks, params string[] args) => Run(timeout, Info(ranks, args));

    /// <summary>Runs to the end; a job still running after <paramref name="timeout"/> is killed and fails the test (a hang).</summary>
    public static (int ExitCode, string Output, string Error) Run(TimeSpan timeout, ProcessStartInfo info)
    {
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpiexec {string.Join(' ', info.ArgumentList)} did not finish within {timeout}");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
