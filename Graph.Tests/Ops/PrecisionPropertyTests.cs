using FsCheck.Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Every op in the precision that trains: float32 forward and VJP, through whatever kernel float32 takes at
/// the drawn shape, against float64 on the same inputs (tolerance derived in <see cref="PrecisionCheck"/>).
/// <c>.ci/run</c> runs these a second time with AVX-512 disabled, for the fallback kernels.
/// </summary>
public class PrecisionPropertyTests
{
    /// <summary>
    /// For a random seed, every row on its small shapes and on its kernel shapes. Ten draws: each costs three
    /// float64 runs on kernel-sized shapes, and the fixed-seed theory below adds ten more per row.
    /// </summary>
    [Property(MaxTest = 10)]
    public void EveryOpInFloat32AgreesWithFloat64(int seed)
    {
        for (int i = 0; i < OpRegistry.All.Count; i++)
            foreach (bool kernelShapes in new[] { false, true })
                AssertAgrees(i, seed, kernelShapes);
    }

    /// <summary>Seeds 0 to FixedSeeds − 1, on which <see cref="KernelReachTests"/> proves the fast paths are reached.</summary>
    public const int FixedSeeds = 10;

    public static TheoryData<string> Rows() => GradientPropertyTests.Rows();

    /// <summary>The same per row on fixed seeds, so a failure names its op.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void RegistryRowAgreesInFloat32(string row)
    {
        int index = OpRegistry.All.Select(e => e.ToString()).ToList().IndexOf(row);
        for (int seed = 0; seed < FixedSeeds; seed++)
        {
            AssertAgrees(index, seed, kernelShapes: false);
            AssertAgrees(index, seed, kernelShapes: true);
        }
    }

    private static void AssertAgrees(int index, int seed, bool kernelShapes)
    {
        var (ratio, where, description) = PrecisionCheck.Run(OpRegistry<float>.All[index], OpRegistry<double>.All[index], seed, kernelShapes);
        Assert.True(ratio <= 1, $"{description}: float32 off by {ratio:F2}× the tolerance at {where}");
    }
}
