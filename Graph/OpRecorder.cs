namespace AutoGrad;

/// <summary>
/// Records the op name of every node created on this thread while it is open, for coverage checks (which ops a
/// model really uses). <c>using var ops = OpRecorder.Start();</c>; recorders nest, the innermost records. Nothing
/// is recorded, and one thread-static read is all it costs an op, when none is open.
/// </summary>
public sealed class OpRecorder : IDisposable
{
    [ThreadStatic] private static OpRecorder? current;

    private readonly OpRecorder? previous;
    private readonly HashSet<string> ops = [];
    private bool disposed;

    private OpRecorder()
    {
        previous = current;
        current = this;
    }

    /// <summary>Opens a recorder on this thread; it records until disposed.</summary>
    public static OpRecorder Start() => new();

    /// <summary>The op names recorded so far.</summary>
    public IReadOnlySet<string> Ops => ops;

    internal static void Record(string op) => current?.ops.Add(op);

    /// <summary>Stops recording and makes the enclosing recorder, if any, current again.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        current = previous;
    }
}
