using AutoGrad.Ops;

namespace AutoGrad.Tests.Ops;

public static partial class OpRegistry
{
    private static IEnumerable<OpEntry> MatMulEntries()
    {
        yield return MatMulCase("2d", (r, m, k, n) => [[m, k], [k, n]]);
        yield return MatMulCase("batched", (r, m, k, n) => { int b = ShapeGen.Dim(r); return [[b, m, k], [b, k, n]]; });
        yield return MatMulCase("batched x shared", (r, m, k, n) => { int b = ShapeGen.Dim(r); return [[b, 2, m, k], [k, n]]; });
        yield return MatMulCase("shared x batched", (r, m, k, n) => { int b = ShapeGen.Dim(r); return [[m, k], [b, k, n]]; });
    }

    private static OpEntry MatMulCase(string variant, Func<Random, int, int, int, int[][]> shapes) =>
        new("matmul", variant, 2, r => new OpCase(shapes(r, ShapeGen.Dim(r), ShapeGen.Dim(r), ShapeGen.Dim(r)), x => MatMul.Apply(x[0], x[1])),
            [A, A], Tolerance.Default);

    private static IEnumerable<OpEntry> LinearEntries()
    {
        yield return new("linear", "bias", 3, r =>
        {
            int n = ShapeGen.Dim(r), i = ShapeGen.Dim(r) + 1, o = ShapeGen.Dim(r);
            return new OpCase([[n, i], [o, i], [o]], x => Linear.Apply(x[0], x[1], x[2]));
        }, [A, A, A], Tolerance.Default);
        yield return new("linear", "no bias", 2, r =>
        {
            int n = ShapeGen.Dim(r), i = ShapeGen.Dim(r) + 1, o = ShapeGen.Dim(r);
            return new OpCase([[n, i], [o, i]], x => Linear.Apply(x[0], x[1]));
        }, [A, A], Tolerance.Default);
    }

    private static IEnumerable<OpEntry> ConvolutionEntries()
    {
        yield return Conv("bias", withBias: true);
        yield return Conv("no bias", withBias: false);
        yield return Pool("max_pool2d", Domain.Distinct, (x, k, s) => MaxPool2d.Apply(x, k, s));
        yield return Pool("avg_pool2d", A, (x, k, s) => AvgPool2d.Apply(x, k, s));
        yield return new("global_avg_pool2d", "", 1, r => new OpCase([Nchw(r, 1)], x => GlobalAvgPool2d.Apply(x[0])), [A], Tolerance.Default);
        yield return new("batch_norm2d", "training", 3, r =>
        {
            var shape = Nchw(r, 1);
            if (shape[0] * shape[2] * shape[3] < 2) shape[0] = 2;
            var state = new BatchNormState<double>(shape[1]);
            return new OpCase([shape, [shape[1]], [shape[1]]], x => BatchNorm2d.Apply(x[0], x[1], x[2], state, training: true));
        }, [A, A, A], Tolerance.Default);
        yield return new("batch_norm2d", "evaluation", 3, r =>
        {
            var shape = Nchw(r, 1);
            var state = new BatchNormState<double>(shape[1]);
            for (int c = 0; c < shape[1]; c++) { state.RunningMean.Data[c] = r.NextDouble() - 0.5; state.RunningVar.Data[c] = 0.5 + r.NextDouble(); }
            return new OpCase([shape, [shape[1]], [shape[1]]], x => BatchNorm2d.Apply(x[0], x[1], x[2], state, training: false));
        }, [A, A, A], Tolerance.Default);
        yield return new("dropout", "training", 1, r =>
        {
            double p = r.Next(2) == 0 ? 0.2 : 0.5;
            int seed = r.Next();
            return new OpCase([ShapeGen.Shape(r)], x => Dropout.Apply(x[0], p, training: true, new Random(seed)), $"p={p}");
        }, [A], Tolerance.Default);
    }

    private static OpEntry Conv(string variant, bool withBias) => new("conv2d", variant, withBias ? 3 : 2, r =>
    {
        int kh = r.Next(1, 4), kw = r.Next(1, 4), stride = r.Next(1, 4), padding = r.Next(0, 3);
        int c = r.Next(1, 4), o = r.Next(1, 4), n = r.Next(1, 3);
        int h = Math.Max(kh, r.Next(3, 9)), w = Math.Max(kw, r.Next(3, 9));
        int[][] shapes = withBias ? [[n, c, h, w], [o, c, kh, kw], [o]] : [[n, c, h, w], [o, c, kh, kw]];
        return new OpCase(shapes, x => Conv2d.Apply(x[0], x[1], withBias ? x[2] : null, stride, padding), $"k={kh}x{kw} s={stride} p={padding}");
    }, withBias ? [A, A, A] : [A, A], Tolerance.Default);

    private static OpEntry Pool(string op, Domain domain, Func<Node<double>, int, int, Node<double>> apply) => new(op, "", 1, r =>
    {
        int k = r.Next(1, 4), s = r.Next(1, 4);
        var shape = Nchw(r, k);
        return new OpCase([shape], x => apply(x[0], k, s), $"k={k} s={s}");
    }, [domain], Tolerance.Default);

    private static int[] Nchw(Random r, int minPlane) =>
        [r.Next(1, 3), r.Next(1, 4), Math.Max(minPlane, r.Next(1, 8)), Math.Max(minPlane, r.Next(1, 8))];

    private static IEnumerable<OpEntry> LossEntries()
    {
        yield return Classification("softmax_cross_entropy", "", (x, labels) => SoftmaxCrossEntropy.Apply(x, labels));
        yield return Classification("softmax_cross_entropy", "label smoothing", (x, labels) => SoftmaxCrossEntropy.Apply(x, labels, 0.1));
        yield return Classification("nll_loss", "", (x, labels) => NllLoss.Apply(x, labels));
        yield return new("mse_loss", "", 2, r =>
        {
            var shape = ShapeGen.Shape(r);
            return new OpCase([shape, shape], x => MseLoss.Apply(x[0], x[1]));
        }, [A, A], Tolerance.Default);
    }

    private static OpEntry Classification(string op, string variant, Func<Node<double>, int[], Node<double>> apply) => new(op, variant, 1, r =>
    {
        int n = ShapeGen.Dim(r), c = ShapeGen.Dim(r) + 1;
        var labels = ShapeGen.Labels(r, n, c);
        return new OpCase([[n, c]], x => apply(x[0], labels));
    }, [A], Tolerance.Default);
}
