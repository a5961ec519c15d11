using System.Reflection;
using AutoGrad.Ops;
using FsCheck.Xunit;

namespace AutoGrad.Tests.Ops;

/// <summary>The one property that proves every op's gradient: analytic VJP = float64 central differences.</summary>
public class GradientPropertyTests
{
    /// <summary>For a random seed, every registry row draws random shapes and values and must pass.</summary>
    [Property(MaxTest = 25)]
    public void EveryOpGradientMatchesCentralDifferences(int seed)
    {
        foreach (var entry in OpRegistry.All) RegistryCheck.AssertPasses(entry, seed);
    }

    public static TheoryData<string> Rows() => new(OpRegistry.All.Select(e => e.ToString()));

    /// <summary>The same check per row on fixed seeds, so a failure names its op in the test list.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void RegistryRowPasses(string row)
    {
        var entry = OpRegistry.All.Single(e => e.ToString() == row);
        for (int seed = 0; seed < 20; seed++) RegistryCheck.AssertPasses(entry, seed);
    }

    /// <summary>Each row once in a pool scope that poisons returned buffers, on small and on kernel shapes, in both precisions.</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void RegistryRowSurvivesAPoisonedPool(string row)
    {
        int index = OpRegistry.All.Select(e => e.ToString()).ToList().IndexOf(row);
        for (int seed = 0; seed < 2; seed++)
        {
            PoolCheck.AssertPooledRunsMatch(OpRegistry<double>.All[index], seed, kernelShapes: false);
            PoolCheck.AssertPooledRunsMatch(OpRegistry<float>.All[index], seed, kernelShapes: true);
        }
    }

    [Fact]
    public void RegistryListsEveryOp()
    {
        var ops = typeof(Add).Assembly.GetTypes()
            .Select(t => t.GetCustomAttribute<OpAttribute>()?.Name).OfType<string>().ToHashSet();
        var registered = OpRegistry.All.Select(e => e.Op).ToHashSet();
        Assert.Empty(ops.Except(registered));
        Assert.Empty(registered.Except(ops));
        Assert.True(ops.Count >= 29, $"only {ops.Count} ops found");
    }

    [Fact]
    public void EveryRowHasOneDomainPerInput()
    {
        foreach (var entry in OpRegistry.All)
            Assert.True(entry.Domains.Length == entry.Arity, $"{entry}: {entry.Domains.Length} domains for arity {entry.Arity}");
    }

    [Fact]
    public void RowsAreUniqueAndTheSameInBothPrecisions()
    {
        Assert.Equal(OpRegistry.All.Count, OpRegistry.All.Select(e => e.ToString()).Distinct().Count());
        Assert.Equal(OpRegistry<double>.All.Select(e => e.ToString()), OpRegistry<float>.All.Select(e => e.ToString()));
    }
}
