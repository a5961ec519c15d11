using System.Numerics;
using AutoGrad.Ops;

namespace AutoGrad.Tests.Ops;

/// <summary>The registry's rows in float64, for the central-difference checks.</summary>
public static class OpRegistry
{
    public static IReadOnlyList<OpEntry<double>> All => OpRegistry<double>.All;
}

/// <summary>
/// Every op, listed once with its arity, shape generator, input domains and tolerance, written once for
/// both precisions: <c>OpRegistry&lt;double&gt;</c> drives the central-difference property, and row i of
/// <c>OpRegistry&lt;float&gt;</c> draws the same shapes and arguments as row i of the double one, so the
/// precision property can compare them. The completeness test fails when an [Op] type has no row.
/// </summary>
public static partial class OpRegistry<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly Domain A = Domain.Any;

    public static readonly IReadOnlyList<OpEntry<T>> All =
    [
        .. Binary("add", A, A, Add.Apply),
        .. Binary("sub", A, A, Sub.Apply),
        .. Binary("mul", A, A, Mul.Apply),
        .. Binary("div", A, Domain.Divisor, Div.Apply),
        .. Unary("neg", A, x => Neg.Apply(x)),
        .. Unary("exp", A, x => Exp.Apply(x)),
        .. Unary("log", Domain.Positive, x => Log.Apply(x)),
        .. Unary("sqrt", Domain.Positive, x => Sqrt.Apply(x)),
        .. PowEntries(),
        .. Unary("clamp", Domain.AwayFromUnitBounds, x => Clamp.Apply(x, -1, 1)),
        .. Unary("relu", Domain.AwayFromZero, x => Relu.Apply(x)),
        .. Unary("leaky_relu", Domain.AwayFromZero, x => LeakyRelu.Apply(x, 0.1)),
        .. Unary("sigmoid", A, x => Sigmoid.Apply(x), AutoGrad.Tests.Ops.Terms.Sigmoid),
        .. Unary("tanh", A, x => Tanh.Apply(x), Terms.Tanh),
        .. Unary("swish", A, x => Swish.Apply(x)),
        .. Unary("gelu", A, x => Gelu.Apply(x)),
        AlongAxis("softmax", (x, axis) => Softmax.Apply(x, axis), Terms.Softmax),
        AlongAxis("log_softmax", (x, axis) => LogSoftmax.Apply(x, axis), Terms.LogSoftmax),
        .. Reduction("sum", A, (x, axes, keep) => Sum.Apply(x, axes, keep)),
        .. Reduction("mean", A, (x, axes, keep) => Mean.Apply(x, axes, keep)),
        .. Reduction("max", Domain.Distinct, (x, axes, keep) => Max.Apply(x, axes, keep)),
        .. ShapeEntries(),
        .. MatMulEntries(),
        .. LinearEntries(),
        .. ConvolutionEntries(),
        .. NormalizationEntries(),
        .. LossEntries(),
    ];

    /// <summary>The row on random shapes, and on a scalar <c>()</c> input.</summary>
    private static IEnumerable<OpEntry<T>> Unary(string op, Domain domain, Func<Node<T>, Node<T>> apply, TermsFn? terms = null)
    {
        yield return new(op, "", 1, r => new OpCase<T>([ShapeGen.Shape(r)], x => apply(x[0]), Terms: terms), [domain], Tolerance.Default,
            r => new OpCase<T>([ShapeGen.WideShape(r)], x => apply(x[0]), Terms: terms));
        yield return new(op, "scalar", 1, r => new OpCase<T>([[]], x => apply(x[0]), Terms: terms), [domain], Tolerance.Default);
    }

    private static IEnumerable<OpEntry<T>> PowEntries()
    {
        static OpCase<T> Case(Random r, int[] shape)
        {
            double p = new[] { -1.5, 0.5, 2.0, 3.0 }[r.Next(4)];
            return new OpCase<T>([shape], x => Pow.Apply(x[0], p), $"p={p}");
        }
        yield return new("pow", "", 1, r => Case(r, ShapeGen.Shape(r)), [Domain.Positive], Tolerance.Default, r => Case(r, ShapeGen.WideShape(r)));
        yield return new("pow", "scalar", 1, r => Case(r, []), [Domain.Positive], Tolerance.Default);
    }

    /// <summary>Broadcasting pairs, and each input alone requiring a gradient (the other must get none).</summary>
    private static IEnumerable<OpEntry<T>> Binary(string op, Domain a, Domain b, Func<Node<T>, Node<T>, Node<T>> apply)
    {
        foreach (var (variant, grads) in new (string, bool[]?)[] { ("broadcast", null), ("broadcast, grad for a only", [true, false]), ("broadcast, grad for b only", [false, true]) })
            yield return new(op, variant, 2, r => new OpCase<T>(ShapeGen.BroadcastPair(r), x => apply(x[0], x[1]), RequiresGrad: grads), [a, b], Tolerance.Default,
                grads is null ? r => new OpCase<T>(ShapeGen.BroadcastPair(r, wide: true), x => apply(x[0], x[1])) : null);
    }

    private static OpEntry<T> AlongAxis(string op, Func<Node<T>, int, Node<T>> apply, Func<int[], int, TermsFn> terms)
    {
        OpCase<T> Case(Random r, int[] shape)
        {
            int axis = r.Next(-shape.Length, shape.Length);
            return new OpCase<T>([shape], x => apply(x[0], axis), $"axis={axis}", Terms: terms(shape, axis));
        }
        return new(op, "", 1, r => Case(r, ShapeGen.Shape(r, 1, 3)), [A], Tolerance.Default, r => Case(r, ShapeGen.WideShape(r, 1, 3)));
    }

    /// <summary>Random axes (or all) with and without kept dimensions, and a scalar <c>()</c> input.</summary>
    private static IEnumerable<OpEntry<T>> Reduction(string op, Domain domain, Func<Node<T>, int[]?, bool, Node<T>> apply)
    {
        static OpCase<T> Case(Random r, int[] shape, Func<Node<T>, int[]?, bool, Node<T>> apply)
        {
            var axes = shape.Length == 0 ? null : ShapeGen.Axes(r, shape);
            bool keep = r.Next(2) == 0;
            return new OpCase<T>([shape], x => apply(x[0], axes, keep), $"axes={(axes is null ? "all" : Shapes.Format(axes))} keep={keep}");
        }
        yield return new(op, "", 1, r => Case(r, ShapeGen.Shape(r), apply), [domain], Tolerance.Default, r => Case(r, ShapeGen.WideShape(r), apply));
        yield return new(op, "scalar", 1, r => Case(r, [], apply), [domain], Tolerance.Default);
    }

    private static IEnumerable<OpEntry<T>> ShapeEntries()
    {
        yield return new("reshape", "", 1, r =>
        {
            var shape = ShapeGen.Shape(r);
            int[] target = r.Next(2) == 0 ? [-1] : [.. shape.Reverse()];
            return new OpCase<T>([shape], x => Reshape.Apply(x[0], target), Shapes.Format(target));
        }, [A], Tolerance.Default);
        yield return new("flatten", "", 1, r =>
        {
            var shape = ShapeGen.Shape(r, 2, 4);
            int start = r.Next(shape.Length);
            return new OpCase<T>([shape], x => Flatten.Apply(x[0], start), $"start={start}");
        }, [A], Tolerance.Default);
        yield return new("permute", "", 1, r =>
        {
            var shape = ShapeGen.Shape(r, 1, 4);
            var dims = ShapeGen.Permutation(r, shape.Length);
            return new OpCase<T>([shape], x => Permute.Apply(x[0], dims), Shapes.Format(dims));
        }, [A], Tolerance.Default);
    }
}
