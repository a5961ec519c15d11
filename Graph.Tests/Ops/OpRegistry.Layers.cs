using AutoGrad.Ops;

namespace AutoGrad.Tests.Ops;

public static partial class OpRegistry<T>
{
    private static IEnumerable<OpEntry<T>> MatMulEntries()
    {
        yield return MatMulCase("2d", (r, m, k, n) => [[m, k], [k, n]]);
        yield return MatMulCase("batched", (r, m, k, n) => { int b = ShapeGen.Dim(r); return [[b, m, k], [b, k, n]]; });
        yield return MatMulCase("batched x shared", (r, m, k, n) => { int b = ShapeGen.Dim(r); return [[b, 2, m, k], [k, n]]; });
        yield return MatMulCase("shared x batched", (r, m, k, n) => { int b = ShapeGen.Dim(r); return [[m, k], [b, k, n]]; });
        yield return MatMulCase("2d, grad for b only", (r, m, k, n) => [[m, k], [k, n]], [false, true]);
    }

    private static OpEntry<T> MatMulCase(string variant, Func<Random, int, int, int, int[][]> shapes, bool[]? grads = null) =>
        new("matmul", variant, 2, r => new OpCase<T>(shapes(r, ShapeGen.Dim(r), ShapeGen.Dim(r), ShapeGen.Dim(r)), x => MatMul.Apply(x[0], x[1]), RequiresGrad: grads),
            [A, A], Tolerance.Default,
            r => { var (m, k, n) = ShapeGen.GemmSizes(r); return new OpCase<T>(shapes(r, m, k, n), x => MatMul.Apply(x[0], x[1]), RequiresGrad: grads); });

    private static IEnumerable<OpEntry<T>> LinearEntries()
    {
        yield return LinearCase("bias", withBias: true, null);
        yield return LinearCase("no bias", withBias: false, null);
        yield return LinearCase("bias, no grad for x", withBias: true, [false, true, true]);   // a first layer
        yield return LinearCase("bias, grad for x only", withBias: true, [true, false, false]);   // frozen weights
    }

    private static OpEntry<T> LinearCase(string variant, bool withBias, bool[]? grads)
    {
        OpCase<T> Case(int n, int i, int o) => withBias
            ? new OpCase<T>([[n, i], [o, i], [o]], x => Linear.Apply(x[0], x[1], x[2]), RequiresGrad: grads)
            : new OpCase<T>([[n, i], [o, i]], x => Linear.Apply(x[0], x[1]), RequiresGrad: grads);
        return new("linear", variant, withBias ? 3 : 2, r => Case(ShapeGen.Dim(r), ShapeGen.Dim(r) + 1, ShapeGen.Dim(r)),
            withBias ? [A, A, A] : [A, A], Tolerance.Default,
            r => { var (n, i, o) = ShapeGen.GemmSizes(r); return Case(n, i, o); });
    }

    private static IEnumerable<OpEntry<T>> ConvolutionEntries()
    {
        yield return Conv("bias", withBias: true, null);
        yield return Conv("no bias", withBias: false, null);
        yield return Conv("bias, no grad for x", withBias: true, [false, true, true]);   // a first layer: no input gradient
        yield return Conv("no bias, grad for x only", withBias: false, [true, false]);
        yield return Pool("max_pool2d", Domain.Distinct, (x, k, s) => MaxPool2d.Apply(x, k, s));
        yield return Pool("avg_pool2d", A, (x, k, s) => AvgPool2d.Apply(x, k, s));
        yield return new("global_avg_pool2d", "", 1, r => new OpCase<T>([Nchw(r, 1)], x => GlobalAvgPool2d.Apply(x[0])), [A], Tolerance.Default,
            r => new OpCase<T>([ShapeGen.WidePlanes(r, 1)], x => GlobalAvgPool2d.Apply(x[0])));
    }

    private static OpEntry<T> Conv(string variant, bool withBias, bool[]? grads)
    {
        OpCase<T> Case(ConvShape s)
        {
            int[][] shapes = withBias ? [[s.N, s.C, s.H, s.W], [s.O, s.C, s.Kh, s.Kw], [s.O]] : [[s.N, s.C, s.H, s.W], [s.O, s.C, s.Kh, s.Kw]];
            return new OpCase<T>(shapes, x => Conv2d.Apply(x[0], x[1], withBias ? x[2] : null, s.Stride, s.Padding), s.ToString(), grads);
        }
        return new("conv2d", variant, withBias ? 3 : 2, r => Case(ShapeGen.SmallConv(r)), withBias ? [A, A, A] : [A, A], Tolerance.Default,
            r => Case(ShapeGen.KernelConv(r)));
    }

    private static OpEntry<T> Pool(string op, Domain domain, Func<Node<T>, int, int, Node<T>> apply)
    {
        static OpCase<T> Case(int[] shape, int k, int s, Func<Node<T>, int, int, Node<T>> apply) => new([shape], x => apply(x[0], k, s), $"k={k} s={s}");
        return new(op, "", 1, r =>
        {
            int k = r.Next(1, 4), s = r.Next(1, 4);
            return Case(Nchw(r, k), k, s, apply);
        }, [domain], Tolerance.Default, r =>
        {
            // Mostly the 2×2, stride-2 window float takes a vectorised kernel for; planes 2–70 wide reach its tails.
            (int k, int s) = r.Next(4) == 0 ? (3, 2) : (2, 2);
            return Case(ShapeGen.WidePlanes(r, k), k, s, apply);
        });
    }

    private static int[] Nchw(Random r, int minPlane) =>
        [r.Next(1, 3), r.Next(1, 4), Math.Max(minPlane, r.Next(1, 8)), Math.Max(minPlane, r.Next(1, 8))];

    private static IEnumerable<OpEntry<T>> LossEntries()
    {
        yield return Classification("softmax_cross_entropy", "", (x, labels) => SoftmaxCrossEntropy.Apply(x, labels), (n, c, labels) => Terms.SoftmaxCrossEntropy(n, c, labels, 0));
        yield return Classification("softmax_cross_entropy", "label smoothing", (x, labels) => SoftmaxCrossEntropy.Apply(x, labels, 0.1), (n, c, labels) => Terms.SoftmaxCrossEntropy(n, c, labels, 0.1));
        yield return Classification("nll_loss", "", (x, labels) => NllLoss.Apply(x, labels), null);
        yield return new("mse_loss", "", 2, r =>
        {
            var shape = ShapeGen.Shape(r);
            return new OpCase<T>([shape, shape], x => MseLoss.Apply(x[0], x[1]));
        }, [A, A], Tolerance.Default, r =>
        {
            var shape = ShapeGen.WideShape(r);
            return new OpCase<T>([shape, shape], x => MseLoss.Apply(x[0], x[1]));
        });
        yield return new("mse_loss", "grad for prediction only", 2, r =>
        {
            var shape = ShapeGen.Shape(r);
            return new OpCase<T>([shape, shape], x => MseLoss.Apply(x[0], x[1]), RequiresGrad: [true, false]);
        }, [A, A], Tolerance.Default);
    }

    private static OpEntry<T> Classification(string op, string variant, Func<Node<T>, int[], Node<T>> apply, Func<int, int, int[], TermsFn>? terms)
    {
        OpCase<T> Case(Random r, int n, int c)
        {
            var labels = ShapeGen.Labels(r, n, c);
            return new OpCase<T>([[n, c]], x => apply(x[0], labels), Terms: terms?.Invoke(n, c, labels));
        }
        return new(op, variant, 1, r => Case(r, ShapeGen.Dim(r), ShapeGen.Dim(r) + 1), [A], Tolerance.Default,
            r => Case(r, r.Next(1, 9), ShapeGen.WideDim(r) + 1));
    }
}
