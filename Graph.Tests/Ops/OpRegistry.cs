using AutoGrad.Ops;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// Every op, listed once with its arity, shape generator, input domains and tolerance. The gradient
/// property checks each row in float64; the completeness test fails when an [Op] type has no row.
/// </summary>
public static partial class OpRegistry
{
    private static readonly Domain A = Domain.Any;

    public static readonly IReadOnlyList<OpEntry> All =
    [
        Binary("add", A, A, Add.Apply),
        Binary("sub", A, A, Sub.Apply),
        Binary("mul", A, A, Mul.Apply),
        Binary("div", A, Domain.Divisor, Div.Apply),
        Unary("neg", A, x => Neg.Apply(x)),
        Unary("exp", A, x => Exp.Apply(x)),
        Unary("log", Domain.Positive, x => Log.Apply(x)),
        Unary("sqrt", Domain.Positive, x => Sqrt.Apply(x)),
        new("pow", "", 1, r =>
        {
            double p = new[] { -1.5, 0.5, 2.0, 3.0 }[r.Next(4)];
            return new OpCase([ShapeGen.Shape(r)], x => Pow.Apply(x[0], p), $"p={p}");
        }, [Domain.Positive], Tolerance.Default),
        Unary("clamp", Domain.AwayFromUnitBounds, x => Clamp.Apply(x, -1, 1)),
        Unary("relu", Domain.AwayFromZero, x => Relu.Apply(x)),
        Unary("leaky_relu", Domain.AwayFromZero, x => LeakyRelu.Apply(x, 0.1)),
        Unary("sigmoid", A, x => Sigmoid.Apply(x)),
        Unary("tanh", A, x => Tanh.Apply(x)),
        Unary("swish", A, x => Swish.Apply(x)),
        Unary("gelu", A, x => Gelu.Apply(x)),
        AlongAxis("softmax", (x, axis) => Softmax.Apply(x, axis)),
        AlongAxis("log_softmax", (x, axis) => LogSoftmax.Apply(x, axis)),
        Reduction("sum", A, (x, axes, keep) => Sum.Apply(x, axes, keep)),
        Reduction("mean", A, (x, axes, keep) => Mean.Apply(x, axes, keep)),
        Reduction("max", Domain.Distinct, (x, axes, keep) => Max.Apply(x, axes, keep)),
        new("reshape", "", 1, r =>
        {
            var shape = ShapeGen.Shape(r);
            int[] target = r.Next(2) == 0 ? [-1] : [.. shape.Reverse()];
            return new OpCase([shape], x => Reshape.Apply(x[0], target), Shapes.Format(target));
        }, [A], Tolerance.Default),
        new("flatten", "", 1, r =>
        {
            var shape = ShapeGen.Shape(r, 2, 4);
            int start = r.Next(shape.Length);
            return new OpCase([shape], x => Flatten.Apply(x[0], start), $"start={start}");
        }, [A], Tolerance.Default),
        new("permute", "", 1, r =>
        {
            var shape = ShapeGen.Shape(r, 1, 4);
            var dims = ShapeGen.Permutation(r, shape.Length);
            return new OpCase([shape], x => Permute.Apply(x[0], dims), Shapes.Format(dims));
        }, [A], Tolerance.Default),
        .. MatMulEntries(),
        .. LinearEntries(),
        .. ConvolutionEntries(),
        .. LossEntries(),
    ];

    private static OpEntry Unary(string op, Domain domain, Func<Node<double>, Node<double>> apply) =>
        new(op, "", 1, r => new OpCase([ShapeGen.Shape(r)], x => apply(x[0])), [domain], Tolerance.Default);

    private static OpEntry Binary(string op, Domain a, Domain b, Func<Node<double>, Node<double>, Node<double>> apply) =>
        new(op, "broadcast", 2, r => new OpCase(ShapeGen.BroadcastPair(r), x => apply(x[0], x[1])), [a, b], Tolerance.Default);

    private static OpEntry AlongAxis(string op, Func<Node<double>, int, Node<double>> apply) =>
        new(op, "", 1, r =>
        {
            var shape = ShapeGen.Shape(r, 1, 3);
            int axis = r.Next(-shape.Length, shape.Length);
            return new OpCase([shape], x => apply(x[0], axis), $"axis={axis}");
        }, [A], Tolerance.Default);

    private static OpEntry Reduction(string op, Domain domain, Func<Node<double>, int[]?, bool, Node<double>> apply) =>
        new(op, "", 1, r =>
        {
            var shape = ShapeGen.Shape(r);
            var axes = ShapeGen.Axes(r, shape);
            bool keep = r.Next(2) == 0;
            return new OpCase([shape], x => apply(x[0], axes, keep), $"axes={(axes is null ? "all" : Shapes.Format(axes))} keep={keep}");
        }, [domain], Tolerance.Default);
}
