namespace AutoGrad;

/// <summary>
/// How kernels spread work over <see cref="ComputeSettings.Threads"/> of the current settings
/// (<see cref="Compute.Current"/>). Kernels split work into a fixed number of chunks that depends only on that
/// value, so results are bit-identical for a given thread count.
/// </summary>
public static class Threading
{
    /// <summary>The current thread count (set for a run with <see cref="Compute.Use"/>).</summary>
    public static int Threads => Compute.Current.Threads;

    /// <summary>Parallel options limited to <see cref="Threads"/> workers, for loops that schedule their own items.</summary>
    public static ParallelOptions Options => new() { MaxDegreeOfParallelism = Threads };

    /// <summary>Runs <paramref name="body"/>(chunk, start, end) over [0, count) in at most <see cref="Threads"/> chunks.</summary>
    public static void For(int count, int minPerChunk, Action<int, int, int> body)
    {
        int threads = Threads;
        int chunks = Math.Max(1, Math.Min(threads, count / Math.Max(1, minPerChunk)));
        if (chunks == 1) { body(0, 0, count); return; }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
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
        int threads = Threads;
        if (count == 1 || threads == 1) { for (int i = 0; i < count; i++) body(i); return; }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }
}
