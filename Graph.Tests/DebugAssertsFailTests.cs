using System.Diagnostics;

namespace AutoGrad.Tests;

public class DebugAssertsFailTests
{
#if DEBUG
    /// <summary>The test run is a Debug build, so the kernels' Debug.Assert bounds run; a failing one throws here.</summary>
    [Fact]
    public void AFailedDebugAssertFailsTheTest()
    {
        bool inBounds = false;
        var e = Assert.Throws<DebugAssertsFail.AssertFailedException>(() => Debug.Assert(inBounds, "out of bounds"));
        Assert.Contains("out of bounds", e.Message);
    }

    /// <summary>A Debug test build also builds the kernels' assembly in Debug, so their asserts are compiled in.</summary>
    [Fact]
    public void TheKernelsUnderTestAreADebugBuild()
    {
        var debuggable = typeof(AutoGrad.Ops.Kernels.Gemm).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false);
        Assert.Contains(debuggable, a => ((DebuggableAttribute)a).IsJITOptimizerDisabled);
    }
#endif
}
