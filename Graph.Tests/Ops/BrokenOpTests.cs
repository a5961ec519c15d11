namespace AutoGrad.Tests.Ops;

/// <summary>Proof that the gradient check can fail: each of the report's wrong ops is rejected by the very check that passes the real ops.</summary>
public class BrokenOpTests
{
    private static readonly Domain A = Domain.Any;

    public static TheoryData<string> Cases() => new(Broken.Select(e => e.Op));

    private static readonly OpEntry<double>[] Broken =
    [
        new OpEntry<double>("conv that adds", "", 2, r => new OpCase<double>([[1, 2, 4, 4], [2, 2, 3, 3]], x => BrokenOps.ConvThatAdds(x[0], x[1])), [A, A], Tolerance.Default),
        new OpEntry<double>("conv without weight gradient", "", 2, r => new OpCase<double>([[2, 1, 5, 5], [3, 1, 3, 3]], x => BrokenOps.ConvWithoutWeightGradient(x[0], x[1])), [A, A], Tolerance.Default),
        new OpEntry<double>("swish missing upstream factor", "", 1, r => new OpCase<double>([[3, 4]], x => BrokenOps.SwishMissingUpstream(x[0])), [A], Tolerance.Default),
        new OpEntry<double>("relu backward calls forward", "", 1, r => new OpCase<double>([[3, 4]], x => BrokenOps.ReluBackwardCallsForward(x[0])), [Domain.AwayFromZero], Tolerance.Default),
        new OpEntry<double>("sigmoid backward from pre-activation", "", 1, r => new OpCase<double>([[3, 4]], x => BrokenOps.SigmoidBackwardFromPreActivation(x[0])), [A], Tolerance.Default),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientCheckRejectsBrokenOp(string name)
    {
        var entry = Broken.Single(e => e.Op == name);
        for (int seed = 0; seed < 5; seed++)
        {
            var (result, description) = RegistryCheck.Run(entry, seed);
            Assert.False(result.Passed, $"{description} was not rejected: {result}");
            Assert.NotEmpty(result.Mismatches);
        }
    }

    /// <summary>Proof that the poisoned-pool run can fail: an op that reads a recycled buffer as if it were zero.</summary>
    [Fact]
    public void PoisonedPoolRejectsAnOpThatReadsARecycledBuffer()
    {
        var entry = new OpEntry<double>("uncleared buffer", "", 1, r => new OpCase<double>([[3, 5]], x => BrokenOps.DoubleIntoUnclearedBuffer(x[0])), [A], Tolerance.Default);
        Assert.True(RegistryCheck.Run(entry, 0).Result.Passed);   // unpooled, its gradient is right
        var error = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => PoolCheck.AssertPooledRunsMatch(entry, 0, kernelShapes: false));
        Assert.Contains("pooled round 1", error.Message);
    }
}
