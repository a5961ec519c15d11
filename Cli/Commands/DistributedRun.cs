using System.CommandLine;
using AutoGrad.Models.Distributed;
using AutoGrad.Models.Training;
using Microsoft.Extensions.Logging;

namespace AutoGrad.Cli.Commands;

/// <summary>
/// <c>autograd train</c> under <c>mpiexec -n N</c> (N &gt; 1): starts MPI, maps its faults to the CLI's one-line
/// errors (rank 0 prints every rank's), and picks a per-rank thread count. A few knobs for measuring are
/// environment variables, so a distributed run takes exactly the flags of a single-process one:
/// AUTOGRAD_MPI_TIMEOUT (seconds a collective may wait, default 600), AUTOGRAD_BUCKET_MB (default 25),
/// AUTOGRAD_OVERLAP=0 (reduce only after backward).
/// </summary>
internal sealed class DistributedRun : IDisposable
{
    private readonly Communicator comm;

    private DistributedRun(Communicator comm, DataParallel parallel)
    {
        this.comm = comm;
        Parallel = parallel;
    }

    public DataParallel Parallel { get; }

    public static DistributedRun? StartIfLaunched(ParseResult parse)
    {
        if (MpiLaunch.IsOpenMpi)
            throw new AutoGradException("started by Open MPI's mpiexec; data-parallel training needs MPICH (apt-get install mpich; run mpiexec.mpich)");
        if (!MpiLaunch.IsDistributed) return null;
        double timeout = Number("AUTOGRAD_MPI_TIMEOUT", 600);
        var comm = Communicator.Start(TimeSpan.FromSeconds(timeout));
        var error = parse.InvocationConfiguration.Error;
        comm.RemoteFault = (rank, message) =>
        {
            error.WriteLine($"error: rank {rank} of {comm.Size} (on {comm.HostNames[rank]}) failed: {message}");
            error.Flush();
        };
        long bucket = (long)(Number("AUTOGRAD_BUCKET_MB", 25) * (1 << 20));
        bool overlap = Environment.GetEnvironmentVariable("AUTOGRAD_OVERLAP") != "0";
        return new DistributedRun(comm, new DataParallel(comm, bucket, overlap));
    }

    /// <summary>--threads, or this host's cores shared among its ranks.</summary>
    public static int Threads(ParseResult parse, Option<int> threads) =>
        parse.GetResult(threads) is { Implicit: false } || !MpiLaunch.IsDistributed
            ? parse.GetValue(threads)
            : Math.Max(1, Environment.ProcessorCount / Math.Max(1, MpiLaunch.LocalSize));

    public static void LogLayout(ILogger logger, DataParallel parallel, TrainOptions options)
    {
        var hosts = parallel.Hosts;
        logger.LogInformation("data-parallel: {Ranks} ranks on {Count} host(s) ({Hosts}), {Threads} thread(s) per rank, batch {Batch} = {Ranks2} × {Local}, gradient buckets of {Bucket:N0} MB{Overlap}",
            parallel.Size, hosts.Count, string.Join(", ", hosts), options.Threads, options.BatchSize, parallel.Size, options.BatchSize / parallel.Size,
            parallel.BucketBytes / (double)(1 << 20), (parallel.Overlap ? " overlapping backward" : " after backward")
                + (options.GradientTransfer == GradientTransfer.BFloat16 ? ", sent as bf16 with error feedback" : ""));
        var comm = parallel.Communicator;
        logger.LogInformation("ranks: {Ranks}", string.Join(", ", Enumerable.Range(0, parallel.Size).Select(r => $"{r} = pid {comm.ProcessIds[r]} on {comm.HostNames[r]}")));
    }

    /// <summary>Rank 0 prints its own error; every rank then ends the job through MPI. Never returns.</summary>
    public void Fail(Exception e, ParseResult parse)
    {
        string message = e is AutoGradException or IOException or UnauthorizedAccessException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        if (Parallel.IsRoot)
        {
            var error = parse.InvocationConfiguration.Error;
            error.WriteLine($"error: {message}");
            if (parse.GetValue(CliApp.Verbose)) error.WriteLine(e);
            error.Flush();
        }
        comm.Fail(message);
    }

    private static double Number(string name, double fallback)
    {
        string? text = Environment.GetEnvironmentVariable(name);
        if (text is null) return fallback;
        return double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out double v) && v > 0
            ? v : throw new AutoGradException($"{name}={text}: expected a positive number");
    }

    public void Dispose() => comm.Dispose();
}
