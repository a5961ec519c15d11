namespace AutoGrad;

/// <summary>
/// The number of worker threads kernels may use (the CLI's <c>--threads</c>). Kernels split work into a
/// fixed number of chunks that depends only on this value, so results are bit-identical for a given
/// thread count.
/// </summary>
public static class Threading
{
    private static int threads = Environment.ProcessorCount;

    public static int Threads
    {
        get => threads;
        set
        {
            if (value < 1) throw new AutoGradException($"--threads must be at least 1 (got {value})");
            threads = value;
        }
    }

    public static ParallelOptions Options => new() { MaxDegreeOfParallelism = threads };

    /// <summary>Runs <paramref name="body"/>(chunk, start, end) over [0, count) in at most <see cref="Threads"/> chunks.</summary>
    public static void For(int count, int minPerChunk, Action<int, int, int> body)
    {
        int chunks = Math.Max(1, Math.Min(threads, count / Math.Max(1, minPerChunk)));
        if (chunks == 1) { body(0, 0, count); return; }
        Parallel.For(0, chunks, Options, c =>
        {
            int start = (int)((long)count * c / chunks), end = (int)((long)count * (c + 1) / chunks);
            body(c, start, end);
        });
    }

    /// <summary>
    /// Runs <paramref name="body"/>(item) for every item in [0, count), scheduled dynamically over
    /// <see cref="Threads"/> workers so items of uneven cost keep every core busy. Items must write disjoint
    /// outputs (or per-item partials the caller combines in item order): then the result cannot depend on
    /// the schedule.
    /// </summary>
    public static void Each(int count, Action<int> body)
    {
        if (count == 1 || threads == 1) { for (int i = 0; i < count; i++) body(i); return; }
        Parallel.For(0, count, Options, body);
    }
}
