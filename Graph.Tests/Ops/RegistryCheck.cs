namespace AutoGrad.Tests.Ops;

/// <summary>Draws one case of a registry row and checks all its input gradients in float64.</summary>
public static class RegistryCheck
{
    public static (GradientCheckResult Result, string Description) Run(OpEntry<double> entry, int seed)
    {
        var rng = new Random(seed);
        var opCase = entry.Generate(rng);
        if (opCase.Shapes.Length != entry.Arity)
            throw new InvalidOperationException($"{entry}: generator made {opCase.Shapes.Length} inputs, arity is {entry.Arity}");
        var inputs = opCase.Shapes.Select((shape, i) =>
            new Tensor<double>(shape, entry.Domains[i].Draw(rng, Shapes.Size(shape)))).ToArray();
        var requires = Enumerable.Range(0, entry.Arity).Select(opCase.Requires).ToArray();
        var result = GradientCheck.Run(opCase.Apply, inputs, rng, rtol: entry.Tolerance.Rtol, atol: entry.Tolerance.Atol, requiresGrad: requires);
        return (result, $"{entry} seed={seed} {Describe(opCase)}");
    }

    public static string Describe<T>(OpCase<T> opCase) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => $"inputs={string.Join(" ", opCase.Shapes.Select(s => Shapes.Format(s)))} {opCase.Description}";

    public static void AssertPasses(OpEntry<double> entry, int seed)
    {
        var (result, description) = Run(entry, seed);
        Assert.True(result.Passed, $"{description}: {result}");
        Assert.True(result.Checked > 0 || entry.Generate(new Random(seed)).Shapes.All(s => Shapes.Size(s) == 0), $"{description}: nothing checked");
    }
}
