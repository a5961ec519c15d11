namespace AutoGrad;

/// <summary>
/// Whether ops record the graph. <c>using (GradMode.NoGrad()) { … }</c> runs a forward pass that records
/// nothing (evaluation, inference, optimiser updates). Scopes nest; the setting is per thread.
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int disabledDepth;

    /// <summary>True unless a <see cref="NoGrad"/> scope is open on this thread.</summary>
    public static bool IsEnabled => disabledDepth == 0;

    /// <summary>Opens a no-grad scope on this thread until the returned handle is disposed.</summary>
    public static IDisposable NoGrad()
    {
        disabledDepth++;
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            disabledDepth--;
        }
    }
}
