using Xunit.Sdk;

namespace AutoGrad.Tests.Reliability;

/// <summary>The fuzz tests' guard can fail: each forbidden outcome trips it, and the allowed ones do not.</summary>
public class ParseGuardTests
{
    /// <summary>Allocates and drops <paramref name="mib"/> MiB in 1 MiB arrays: counted, never held.</summary>
    private static void Churn(int mib)
    {
        for (int i = 0; i < mib; i++) GC.KeepAlive(new byte[1 << 20]);
    }

    [Fact]
    public void AHugeAllocationInTheParserTripsTheGuard()
    {
        int mib = (int)(ParseGuard.MaxBytes >> 20) + 16;
        var e = Assert.ThrowsAny<XunitException>(() => ParseGuard.Run(() => Churn(mib), "huge"));
        Assert.Contains("huge: allocated", e.Message);
    }

    [Fact]
    public void AModestAllocationPasses() => ParseGuard.Run(() => Churn(8), "modest");

    [Fact]
    public void AnotherExceptionTypeTripsTheGuard()
        => Assert.Throws<InvalidOperationException>(() => ParseGuard.Run(() => throw new InvalidOperationException(), "index"));

    [Fact]
    public void AMultiLineOwnErrorTripsTheGuard()
        => Assert.ThrowsAny<XunitException>(() => ParseGuard.Run(() => throw new AutoGradException("a\nb"), "lines"));

    [Fact]
    public void AnOwnErrorPasses() => ParseGuard.Run(() => throw new AutoGradException("file.idx: truncated header"), "own");

    [Fact]
    public void AHangTripsTheGuard()
    {
        var release = new ManualResetEventSlim();
        try
        {
            var e = Assert.ThrowsAny<XunitException>(() => ParseGuard.Run(() => release.Wait(), "stuck", hang: TimeSpan.FromMilliseconds(100)));
            Assert.Contains("did not finish", e.Message);
        }
        finally { release.Set(); }
    }
}
