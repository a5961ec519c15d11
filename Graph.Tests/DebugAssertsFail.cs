using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace AutoGrad.Tests;

/// <summary>
/// A failed <see cref="Debug.Assert(bool)"/> in library code (the kernels' bounds checks) fails the test that hit it
/// with an exception instead of killing the test host, which is what the default listener does without a debugger.
/// </summary>
public static class DebugAssertsFail
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "A test assembly: the listener must be in place before any test runs.")]
    internal static void Install()
    {
        Trace.Listeners.Clear();
        Trace.Listeners.Add(new Throwing());
    }

    public sealed class AssertFailedException(string message) : Exception(message);

    private sealed class Throwing : TraceListener
    {
        public override void Fail(string? message, string? detailMessage) =>
            throw new AssertFailedException($"Debug.Assert failed: {message} {detailMessage}".TrimEnd());
        public override void Write(string? message) { }
        public override void WriteLine(string? message) { }
    }
}
