namespace AutoGrad;

/// <summary>
/// Tags the nodes created inside it with a layer name, so captured graphs can be clustered by layer and
/// diagnostics can name the layer at fault. Per thread; scopes nest (the innermost wins).
/// </summary>
public static class LayerScope
{
    [ThreadStatic] private static string? current;

    /// <summary>The innermost open layer on this thread, or null.</summary>
    public static string? Current => current;

    /// <summary>Tags nodes created on this thread with <paramref name="layer"/> until the returned handle is disposed.</summary>
    public static IDisposable Enter(string layer)
    {
        var previous = current;
        current = layer;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            current = previous;
        }
    }
}
