using AutoGrad.Ops;

namespace AutoGrad.Tests.Ops;

public static partial class OpRegistry<T>
{
    private static IEnumerable<OpEntry<T>> NormalizationEntries()
    {
        yield return BatchNorm("training", training: true, null);
        yield return BatchNorm("evaluation", training: false, null);
        yield return BatchNorm("training, grad for x only", training: true, [true, false, false]);
        yield return new("dropout", "training", 1, r => DropoutCase(r, ShapeGen.Shape(r)), [A], Tolerance.Default, r => DropoutCase(r, ShapeGen.WideShape(r)));
    }

    private static OpCase<T> DropoutCase(Random r, int[] shape)
    {
        double p = r.Next(2) == 0 ? 0.2 : 0.5;
        int seed = r.Next();
        return new OpCase<T>([shape], x => Dropout.Apply(x[0], p, training: true, new Random(seed)), $"p={p}");
    }

    private static OpEntry<T> BatchNorm(string variant, bool training, bool[]? grads)
    {
        OpCase<T> Case(Random r, int[] shape)
        {
            if (training && shape[0] * shape[2] * shape[3] < 2) shape[0] = 2;
            var state = new BatchNormState<T>(shape[1]);
            // Running statistics rounded to float, so both precisions normalise with the same numbers.
            if (!training)
                for (int c = 0; c < shape[1]; c++)
                {
                    state.RunningMean.Data[c] = T.CreateTruncating((float)(r.NextDouble() - 0.5));
                    state.RunningVar.Data[c] = T.CreateTruncating((float)(0.5 + r.NextDouble()));
                }
            var terms = Terms.BatchNorm(shape, training, state.RunningMean.Data.Select(double.CreateTruncating).ToArray(), state.RunningVar.Data.Select(double.CreateTruncating).ToArray());
            return new OpCase<T>([shape, [shape[1]], [shape[1]]], x => BatchNorm2d.Apply(x[0], x[1], x[2], state, training), RequiresGrad: grads, Terms: terms);
        }
        return new("batch_norm2d", variant, 3, r => Case(r, Nchw(r, 1)), [A, A, A], Tolerance.Default, r => Case(r, ShapeGen.WidePlanes(r, 1)));
    }
}
