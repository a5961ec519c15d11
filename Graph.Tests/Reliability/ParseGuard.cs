namespace AutoGrad.Tests.Reliability;

/// <summary>
/// What a parser under fuzzing may do: succeed, or raise <see cref="AutoGradException"/> with a one-line
/// message; never another exception, a hang or a huge allocation.
/// </summary>
public static class ParseGuard
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);
    public const long MaxBytes = 512L << 20;

    /// <summary>
    /// Runs <paramref name="parse"/> on a worker (so a hang can be reported instead of blocking the run) and
    /// fails the calling test on any outcome but the allowed ones. Allocation is counted on the worker, where
    /// the parser runs: the test thread only waits and allocates nothing the parser does. The parsers
    /// guarded here are single-threaded (ImageSharp runs with one degree of parallelism), so the worker's
    /// count is the parser's.
    /// </summary>
    public static void Run(Action parse, string what, long maxBytes = MaxBytes, TimeSpan? hang = null)
    {
        hang ??= Hang;
        long allocated = 0;
        var task = Task.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { parse(); }
            catch (AutoGradException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message), $"{what}: empty message");
                Assert.DoesNotContain('\n', e.Message);
            }
            finally { allocated = GC.GetAllocatedBytesForCurrentThread() - before; }
        });
        // Waiting on the handle, not Task.Wait: a fault then surfaces below as itself, not wrapped.
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(hang.Value), $"{what}: parser did not finish within {hang}");
        task.GetAwaiter().GetResult();   // rethrows any other exception type: the property fails
        Assert.True(allocated < maxBytes, $"{what}: allocated {allocated >> 20} MiB, more than {maxBytes >> 20} MiB");
    }
}
