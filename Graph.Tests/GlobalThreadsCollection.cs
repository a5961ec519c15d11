namespace AutoGrad.Tests;

/// <summary>
/// Tests that set the process-wide <see cref="Threading.Threads"/> (training, the CLI's --threads) run in
/// this collection, which xunit runs alone after the parallel ones, so they cannot change the thread count
/// under another test. Each restores the previous value with <see cref="ThreadsScope"/>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalThreadsCollection
{
    public const string Name = "Threading.Threads";
}

/// <summary>Remembers <see cref="Threading.Threads"/> and puts it back on dispose.</summary>
public sealed class ThreadsScope : IDisposable
{
    private readonly int saved = Threading.Threads;

    public void Dispose() => Threading.Threads = saved;
}
