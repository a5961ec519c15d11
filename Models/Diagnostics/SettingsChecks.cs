using AutoGrad.Models.Data;
using AutoGrad.Models.Layers;
using AutoGrad.Ops;
using static AutoGrad.Models.Diagnostics.AuditFindings;

namespace AutoGrad.Models.Diagnostics;

/// <summary>Checks of the training settings that need no training: batch composition, loss reduction, optimiser update rule, initial scales.</summary>
internal static class SettingsChecks
{
    /// <summary>Distinct classes per batch against what random batches of that size would hold.</summary>
    public static IEnumerable<Finding> BatchComposition(ImageDataset train, Normalization norm, DoctorOptions options)
    {
        var iterator = new BatchIterator(train, norm, options.BatchSize, options.Shuffle, options.Seed);
        int batches = Math.Min(20, iterator.BatchesPerEpoch), classes = train.Classes.Count;
        var images = new float[options.BatchSize * train.SampleSize];
        var labels = new int[options.BatchSize];
        var distinct = new List<int>();
        for (int b = 0; b < batches; b++)
        {
            int n = iterator.Fill(0, b, images, labels);
            if (n == options.BatchSize) distinct.Add(labels.Distinct().Count());
        }
        if (distinct.Count == 0) yield break;
        double expected = classes * (1 - Math.Pow(1 - 1.0 / classes, options.BatchSize));
        double median = distinct.Order().ElementAt(distinct.Count / 2);
        if (median <= Math.Max(2, 0.5 * expected) && expected > 3)
            yield return FindingCatalog.BatchesClassSorted.Create($"batches hold too few classes: {median} of {classes} in the median batch of {options.BatchSize}",
                $"distinct classes in the first {distinct.Count} batches: {string.Join(", ", distinct)}; a random batch holds about {expected:F1}",
                options.Shuffle ? "the shuffle does not mix classes; check the sampler" : "shuffle the samples every epoch (autograd train does); class-sorted batches make each step fit one class");
    }

    /// <summary>Repeating every sample of a batch must leave a batch-mean loss and its gradient unchanged.</summary>
    /// <remarks>Side effects on <paramref name="model"/>: forward passes in training mode move BatchNorm running
    /// statistics, and parameter gradients are zeroed and overwritten. Pass a copy (<c>model.Convert&lt;T&gt;()</c>) to
    /// keep a trained model untouched; <see cref="Doctor"/> always works on models it builds itself.</remarks>
    public static IEnumerable<Finding> LossReduction(Model<float> model, Tensor<float> images, int[] labels, DoctorOptions options)
    {
        var loss = options.LossFunction;
        (double Loss, double Grad) Measure(Tensor<float> x, int[] y)
        {
            model.ZeroGrad();
            var l = loss.Apply(model.Forward(Node<float>.Input(x), new ForwardContext(training: false)), y);
            l.Backprop();
            double g = Math.Sqrt(model.Parameters.Where(p => p.Grad is not null).Sum(p => p.Grad!.Data.Sum(v => (double)v * v)));
            model.ZeroGrad();
            return (l.Value.ToScalar(), g);
        }
        var once = Measure(images, labels);
        var twice = Measure(new Tensor<float>([2 * labels.Length, .. images.Shape[1..]], [.. images.Data, .. images.Data]), [.. labels, .. labels]);
        double ratio = twice.Grad / Math.Max(once.Grad, 1e-30);
        if (ratio > 1.5)
            yield return FindingCatalog.LossNotAveraged.Create("the loss and its gradient grow with the batch size: the loss is summed, not averaged, over the batch",
                $"batch of {labels.Length}: loss {G(once.Loss)}, ‖∇θ‖ {G(once.Grad)}; the same samples twice: loss {G(twice.Loss)}, ‖∇θ‖ {G(twice.Grad)} (×{ratio:F2})",
                $"divide the loss (and so its gradient) by the batch size; until then the effective learning rate is `LearningRate` × {labels.Length}");
    }

    /// <summary>Runs the optimiser on θ = [0, 1] with gradient 1 + wd·θ for three steps and compares with the textbook update.</summary>
    public static IEnumerable<Finding> OptimizerRule(DoctorOptions options)
    {
        const double lr = 0.1;
        var p = Node<float>.Parameter(new Tensor<float>([2], [0f, 1f]), "probe");
        var optimizer = options.CreateOptimizer([p]);
        for (int s = 0; s < 3; s++)
        {
            p.ZeroGrad();
            Sum.Apply(p).Backprop();
            optimizer.Step(lr);
        }
        double[] expected = Reference(options, lr, 3);
        double error = Math.Max(Math.Abs(p.Value.Data[0] - expected[0]), Math.Abs(p.Value.Data[1] - expected[1]));
        if (error > 1e-4 * Math.Max(1, Math.Abs(expected[1])))
            yield return FindingCatalog.OptimizerNonstandard.Create($"the {options.Optimizer} optimiser does not follow the standard update rule",
                $"θ = [0, 1], gradient 1 (+ weight decay), lr {lr}, 3 steps: got [{G(p.Value.Data[0])}, {G(p.Value.Data[1])}], the standard rule gives [{G(expected[0])}, {G(expected[1])}]",
                options.Optimizer is "momentum" or "nesterov"
                    ? "use PyTorch's momentum: v ← μ·v + g; θ ← θ − lr·v (learning rates and momenta from papers assume it)"
                    : "compare the update with its paper's formula");
    }

    private static double[] Reference(DoctorOptions o, double lr, int steps)
    {
        double[] theta = [0, 1], v = [0, 0], m = [0, 0], s = [0, 0];
        for (int t = 1; t <= steps; t++)
            for (int i = 0; i < 2; i++)
            {
                double g = 1 + (o.Optimizer == "adamw" ? 0 : o.WeightDecay * theta[i]);
                switch (o.Optimizer)
                {
                    case "sgd": theta[i] -= lr * g; break;
                    case "momentum": v[i] = o.Momentum * v[i] + g; theta[i] -= lr * v[i]; break;
                    case "nesterov": v[i] = o.Momentum * v[i] + g; theta[i] -= lr * (g + o.Momentum * v[i]); break;
                    default:
                        if (o.Optimizer == "adamw") theta[i] *= 1 - lr * o.WeightDecay;
                        m[i] = 0.9 * m[i] + 0.1 * g; s[i] = 0.999 * s[i] + 0.001 * g * g;
                        theta[i] -= lr * (m[i] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(s[i] / (1 - Math.Pow(0.999, t))) + 1e-8);
                        break;
                }
            }
        return theta;
    }

    /// <summary>Weights far from He scale √(2/fan_in), biases drawn large instead of zero.</summary>
    public static IEnumerable<Finding> Initialisation(Model<float> model)
    {
        foreach (var p in model.Parameters)
        {
            var d = p.Value.Data;
            double mean = d.Average(v => (double)v), std = Math.Sqrt(d.Average(v => ((double)v - mean) * ((double)v - mean)));
            bool bias = p.Name!.EndsWith(".bias", StringComparison.Ordinal), isBatchNorm = p.Rank() == 1 && !bias;
            if (bias && (std > 0.3 || Math.Abs(mean) > 0.3))
                yield return FindingCatalog.BiasInitLarge.Create($"{p.Name} starts far from zero",
                    $"mean {G(mean)}, std {G(std)} over {d.Length} values (biases usually start at 0)",
                    "initialise biases to zero; N(0, 1) biases shift every unit by about one activation's worth");
            if (p.Value.Rank < 2 || isBatchNorm) continue;
            int fanIn = p.Value.Length / p.Shape[0];
            double he = Math.Sqrt(2.0 / fanIn), ratio = std / he;
            if (ratio > 3 || ratio < 1.0 / 30)
                yield return (ratio > 3 ? FindingCatalog.WeightInitLarge : FindingCatalog.WeightInitSmall).Create(
                    $"{p.Name} is initialised {(ratio > 3 ? "too large" : "too small")}",
                    $"std {G(std)} vs He std √(2/{fanIn}) = {G(he)} (×{ratio:G3})",
                    "use he_normal (ReLU) or xavier_normal (tanh/sigmoid); activations then keep their scale layer to layer");
        }
    }

    private static int Rank(this Node<float> p) => p.Value.Rank;
}
