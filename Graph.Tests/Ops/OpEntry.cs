using System.Numerics;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Σ|terms| of every output element and of every input-gradient element, in float64, from the inputs and the
/// upstream gradient (see <see cref="PrecisionCheck"/>), for ops whose terms cancel inside.
/// </summary>
public delegate (double[] Output, double[]?[] Grads) TermsFn(double[][] inputs, double[] upstream);

/// <summary>
/// One concrete draw of an op under test: input shapes, the call with its fixed arguments, which inputs
/// require a gradient (all when <paramref name="RequiresGrad"/> is null) and, where the generic estimate does
/// not bound them, the op's own <paramref name="Terms"/>.
/// </summary>
public sealed record OpCase<T>(int[][] Shapes, Func<Node<T>[], Node<T>> Apply, string Description = "", bool[]? RequiresGrad = null, TermsFn? Terms = null)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool Requires(int input) => RequiresGrad?[input] ?? true;
}

/// <summary>Agreement thresholds for the float64 central-difference check.</summary>
public sealed record Tolerance(double Rtol = 1e-5, double Atol = 1e-7)
{
    public static readonly Tolerance Default = new();
}

/// <summary>
/// A registry row: the op's name (as in its [Op] attribute), a variant label, its tensor arity, a generator
/// of shapes and arguments, the domain of each input and the tolerance. <paramref name="KernelShapes"/>, when
/// given, draws the larger shapes that reach float32's fast kernels (and their tails); only the precision
/// property uses it, since the central-difference check would pay a forward pass per sampled element on them.
/// Generators must draw the same shapes and arguments for float and double from the same seed.
/// </summary>
public sealed record OpEntry<T>(string Op, string Variant, int Arity, Func<Random, OpCase<T>> Generate, Domain[] Domains, Tolerance Tolerance,
    Func<Random, OpCase<T>>? KernelShapes = null)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override string ToString() => Variant.Length == 0 ? Op : $"{Op} ({Variant})";
}
