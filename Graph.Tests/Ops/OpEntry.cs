namespace AutoGrad.Tests.Ops;

/// <summary>One concrete draw of an op under test: input shapes and the call with its fixed arguments.</summary>
public sealed record OpCase(int[][] Shapes, Func<Node<double>[], Node<double>> Apply, string Description = "");

/// <summary>Agreement thresholds for the float64 central-difference check.</summary>
public sealed record Tolerance(double Rtol = 1e-5, double Atol = 1e-7)
{
    public static readonly Tolerance Default = new();
}

/// <summary>
/// A registry row: the op's name (as in its [Op] attribute), a variant label, its tensor arity, a generator
/// of shapes and arguments, the domain of each input and the tolerance.
/// </summary>
public sealed record OpEntry(string Op, string Variant, int Arity, Func<Random, OpCase> Generate, Domain[] Domains, Tolerance Tolerance)
{
    public override string ToString() => Variant.Length == 0 ? Op : $"{Op} ({Variant})";
}
