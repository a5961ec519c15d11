using AutoGrad.Models.Data;
using AutoGrad.Models.Layers;
using static AutoGrad.Models.Diagnostics.AuditFindings;

namespace AutoGrad.Models.Diagnostics;

/// <summary>Per-layer activation statistics at initialisation.</summary>
public sealed record LayerStats(string Layer, string Type, double Mean, double Std, double DeadShare, double Saturation);

/// <summary>Per-parameter gradient and update statistics over the observed steps.</summary>
public sealed record ParameterStats(string Name, double WeightNorm, double FirstGradNorm, double MedianUpdateRatio, bool GotGradient, bool Changed);

public sealed record TrainingHealthResult(IReadOnlyList<Finding> Findings, IReadOnlyList<double> Losses,
    IReadOnlyList<LayerStats> Layers, IReadOnlyList<ParameterStats> Parameters);

/// <summary>
/// Watches the first steps of training with the user's settings: initial loss against ln(C), a loss that
/// never moves, activation statistics at initialisation (dead ReLUs, saturated sigmoids), gradient norms and
/// update-to-weight ratios, parameters that get no gradient or never change, collapsed predictions, the first
/// node that produced NaN/Inf, unnormalised inputs, class-sorted batches, loss reduction and the optimiser rule.
/// </summary>
public static class TrainingHealth
{
    public static TrainingHealthResult Run(ModelRecipe recipe, ImageDataset train, Normalization norm, DoctorOptions options)
    {
        var findings = new List<Finding>();
        var model = recipe.Create(options.Seed);
        int classes = model.Classes;
        findings.AddRange(SettingsChecks.Initialisation(model));
        findings.AddRange(SettingsChecks.OptimizerRule(options));
        findings.AddRange(SettingsChecks.BatchComposition(train, norm, options));

        var iterator = new BatchIterator(train, norm, options.BatchSize, options.Shuffle, options.Seed);
        var buffer = new float[options.BatchSize * train.SampleSize];
        var labelBuffer = new int[options.BatchSize];
        (Tensor<float>, int[]) Batch(int step)
        {
            int n = iterator.Fill(step / iterator.BatchesPerEpoch, step % iterator.BatchesPerEpoch, buffer, labelBuffer);
            return (new Tensor<float>([n, .. model.InputShape], buffer[..(n * train.SampleSize)]), labelBuffer[..n]);
        }
        var (first, firstLabels) = Batch(0);
        findings.AddRange(InputRange(first, options.Normalization));
        var layers = LayerStatistics(model, first);
        findings.AddRange(ActivationFindings(layers));
        findings.AddRange(OutputFindings(model, first));
        int probe = Math.Min(16, firstLabels.Length);
        findings.AddRange(SettingsChecks.LossReduction(model, new Tensor<float>([probe, .. model.InputShape], first.Data[..(probe * train.SampleSize)]), firstLabels[..probe], options));
        // A summed loss is judged per sample, so one fault is not also reported as a huge initial loss.
        double perSample = findings.Any(f => f.Id == "loss-not-averaged") ? 1.0 / firstLabels.Length : 1.0;

        var runner = new StepRunner(model, options);
        var initial = model.Parameters.ToDictionary(p => p, p => (float[])p.Value.Data.Clone());
        var ratios = model.Parameters.ToDictionary(p => p, _ => new List<double>());
        var gotGrad = new HashSet<Node<float>>();
        var firstGrad = new Dictionary<Node<float>, double>();
        var losses = new List<double>();
        var recent = new List<(int Predicted, int Label)>();
        for (int s = 0; s < options.HealthSteps; s++)
        {
            var (images, labels) = Batch(s);
            var before = model.Parameters.ToDictionary(p => p, p => (float[])p.Value.Data.Clone());
            var result = runner.Step(images, labels, options.LearningRate, loss =>
            {
                foreach (var p in model.Parameters.Where(p => p.Grad is not null))
                {
                    gotGrad.Add(p);
                    firstGrad.TryAdd(p, Norm(p.Grad!.Data));
                }
            });
            losses.Add(result.NonFinite?.Loss ?? result.Loss);
            if (result.NonFinite is { } e) { findings.Add(NonFiniteFinding.From(e, model, images, labels, options, s + 1)); break; }
            foreach (var p in model.Parameters)
            {
                double w = Norm(before[p]);
                if (w > 0) ratios[p].Add(Distance(before[p], p.Value.Data) / w);
            }
            if (s >= options.HealthSteps - 5) recent.AddRange(result.Predictions.Select((p, i) => (p, labels[i])));
        }

        var stats = model.Parameters.Select(p => new ParameterStats(p.Name!, Norm(p.Value.Data), firstGrad.GetValueOrDefault(p),
            Median(ratios[p]), gotGrad.Contains(p), !(Distance(initial[p], p.Value.Data) == 0))).ToList();   // NaN weights did change
        findings.AddRange(LossFindings(losses.Select(l => l * perSample).ToList(), classes, perSample < 1));
        findings.AddRange(ParameterFindings(stats, model));
        findings.AddRange(CollapseFindings(recent, classes));
        return new TrainingHealthResult(findings, losses, layers, stats);
    }

    private static IEnumerable<Finding> InputRange(Tensor<float> images, string source)
    {
        var d = images.Data;
        double min = d.Min(), max = d.Max(), mean = d.Average(v => (double)v), std = Math.Sqrt(d.Average(v => (v - mean) * (v - mean)));
        string evidence = $"first batch: min {G(min)}, max {G(max)}, mean {G(mean)}, std {G(std)} (normalisation: {source})";
        if (Math.Max(Math.Abs(min), Math.Abs(max)) > 20)
            yield return FindingCatalog.InputsNotNormalised.Create("the model sees raw pixel values (0–255), not normalised inputs", evidence,
                "scale to x/255 and standardise per channel with the training split's mean and std (autograd train does)");
        else if (Math.Abs(mean) > 0.2 || std < 0.5 || std > 2)
            yield return FindingCatalog.InputsNotStandardised.Create("inputs are scaled but not standardised to mean 0, std 1", evidence,
                "subtract the training split's per-channel mean and divide by its std");
    }

    internal static IReadOnlyList<LayerStats> LayerStatistics(Model<float> model, Tensor<float> images)
    {
        using var _ = GradMode.NoGrad();
        var trace = ForwardTrace.Run(model, Node<float>.Input(images), new ForwardContext(training: true, new Random(0)));
        var stats = new List<LayerStats>();
        foreach (var t in trace)
        {
            var y = t.Output.Value.Data;
            double mean = y.Average(v => (double)v), std = Math.Sqrt(y.Average(v => (v - mean) * (v - mean)));
            double dead = 0, saturated = 0;
            int n = t.Output.Shape[0], units = y.Length / n;
            var x = t.Input.Value.Data;
            switch (t.Layer.Type)
            {
                case "relu":
                    int deadUnits = 0;
                    for (int u = 0; u < units; u++)
                    {
                        bool alive = false;
                        for (int b = 0; b < n && !alive; b++) alive = y[b * units + u] > 0;
                        if (!alive) deadUnits++;
                    }
                    dead = (double)deadUnits / units;
                    break;
                case "sigmoid": saturated = x.Count(v => Math.Abs(v) > 4) / (double)x.Length; break;
                case "tanh": saturated = x.Count(v => Math.Abs(v) > 2.5) / (double)x.Length; break;
                case "swish": saturated = x.Count(v => v < -4) / (double)x.Length; break;
            }
            stats.Add(new LayerStats(t.Layer.Name, t.Layer.Type, mean, std, dead, saturated));
        }
        return stats;
    }

    private static IEnumerable<Finding> ActivationFindings(IReadOnlyList<LayerStats> layers)
    {
        string table = string.Join("; ", layers.Select(l => $"{l.Layer} mean {l.Mean:G3} std {l.Std:G3}" +
            (l.Type == "relu" ? $" dead {l.DeadShare:P0}" : "") + (l.Saturation > 0 ? $" saturated {l.Saturation:P0}" : "")));
        yield return FindingCatalog.Activations.Create("activation statistics at initialisation (first batch)", table, "-");
        foreach (var l in layers.Where(l => l.DeadShare > 0.5))
            yield return (l.DeadShare > 0.9 ? FindingCatalog.DeadRelu : FindingCatalog.DeadReluPartly).Create(
                $"{l.DeadShare:P0} of {l.Layer}'s units output 0 for every sample of the batch",
                $"{l.Layer}: dead share {l.DeadShare:P1}, mean {G(l.Mean)}, std {G(l.Std)}",
                "dead units get no gradient: lower the learning rate, initialise biases at 0, or use leaky_relu");
        foreach (var l in layers.Where(l => l.Saturation > 0.3))
            yield return FindingCatalog.ActivationSaturated.Create($"{l.Saturation:P0} of {l.Layer}'s ({l.Type}) inputs sit where its slope is nearly 0",
                $"{l.Layer}: saturated share {l.Saturation:P1}", "scale down the initialisation (xavier for sigmoid/tanh) or normalise the inputs");
        var big = layers.Where(l => l.Std > 30).ToList();
        if (big.Count > 0)
            yield return FindingCatalog.ActivationsExplode.Create($"activations grow to std {G(big.Max(l => l.Std))} by layer {big[^1].Layer}",
                string.Join("; ", big.Select(l => $"{l.Layer} std {G(l.Std)}")), "initialise with he_normal scale √(2/fan_in) and normalise the inputs");
    }

    private static IEnumerable<Finding> OutputFindings(Model<float> model, Tensor<float> images)
    {
        using var _ = GradMode.NoGrad();
        var y = model.Forward(Node<float>.Input(images), new ForwardContext(training: false)).Value;
        int c = model.Classes, n = y.Length / c;
        bool probabilities = y.Data.All(v => v >= 0 && v <= 1);
        for (int i = 0; i < n && probabilities; i++) probabilities = Math.Abs(y.Data.AsSpan(i * c, c).ToArray().Sum() - 1) < 1e-3;
        if (probabilities)
            yield return FindingCatalog.SoftmaxBeforeLoss.Create("the model's outputs are already probabilities, and the loss applies softmax again",
                $"every output is in [0, 1] and each of the {n} rows sums to 1; softmax of such rows is nearly uniform, so the loss sits near ln({c - 1} + e) = {Math.Log(c - 1 + Math.E):F4}",
                "remove the softmax at the end of the model: the cross-entropy takes raw logits");
    }

    private static IEnumerable<Finding> LossFindings(List<double> losses, int classes, bool perSample)
    {
        double lnC = Math.Log(classes), l0 = losses[0];
        var kind = !double.IsFinite(l0) || l0 > 4 * lnC ? FindingCatalog.InitialLoss : l0 > 2.5 * lnC ? FindingCatalog.InitialLossHigh : FindingCatalog.InitialLossOk;
        var severity = kind.Severity;
        yield return kind.Create(
            severity == Severity.Info ? "initial loss is within 2.5 × ln(C)" : "initial loss is far above ln(C): the initial logits are too large",
            $"first step loss {G(l0)}{(perSample ? " per sample (the loss is summed)" : "")} vs ln({classes}) = {lnC:F4}",
            severity == Severity.Info ? "-" : "shrink the initial weights (he_normal) and zero the biases");
        if (losses.Count < 3 || !losses.All(double.IsFinite)) yield break;   // a divergence has its own finding
        double min = losses.Min(), max = losses.Max(), mean = losses.Average();
        if (max - min <= 1e-5 * Math.Max(1, Math.Abs(mean)))
        {
            double twice = Math.Log(classes - 1 + Math.E);
            string which = Math.Abs(mean - twice) < 0.02 ? $" = ln({classes - 1} + e), the loss of softmax applied twice"
                : Math.Abs(mean - lnC) < 0.02 ? $" = ln({classes}): outputs carry no information" : "";
            yield return FindingCatalog.LossConstant.Create($"the loss does not move: {G(mean)} at every one of {losses.Count} steps{which}",
                $"min {G(min)}, max {G(max)} over {losses.Count} steps; ln({classes}) = {lnC:F4}, ln({classes - 1}+e) = {twice:F4}",
                "no gradient reaches the weights or it changes nothing: see the gradient and parameter findings");
            yield break;
        }
        int third = Math.Max(1, losses.Count / 3);
        double head = losses.Take(third).Average(), tail = losses.TakeLast(third).Average();
        if (!(tail < head - 0.02 * Math.Abs(head)))
            yield return FindingCatalog.LossNotDecreasing.Create("the loss does not decrease over the first steps",
                $"mean of the first {third} steps {G(head)}, of the last {third} {G(tail)}", "see the learning-rate sweep; check the update ratios");
    }

    private static IEnumerable<Finding> ParameterFindings(List<ParameterStats> stats, Model<float> model)
    {
        yield return FindingCatalog.GradientFlow.Create("per-parameter gradient norm (first step) and median update/weight ratio",
            string.Join("; ", stats.Select(s => $"{s.Name} ‖g‖ {E(s.FirstGradNorm)} update/weight {E(s.MedianUpdateRatio)}")), "-");
        foreach (var s in stats.Where(s => !s.GotGradient))
            yield return FindingCatalog.ParamNoGrad.Create($"{s.Name} never receives a gradient", $"{s.Name}.grad is empty after every backward",
                "the op that uses it returns no gradient for it (or the engine drops it); see the gradient audit");
        foreach (var s in stats.Where(s => s.GotGradient && s.FirstGradNorm == 0))
            yield return FindingCatalog.ParamZeroGrad.Create($"{s.Name}'s gradient is exactly zero", $"‖g‖ = 0 at the first step",
                "every unit it feeds is dead or disconnected");
        foreach (var s in stats.Where(s => s.GotGradient && s.FirstGradNorm > 0 && !s.Changed))
            yield return FindingCatalog.ParamFrozen.Create($"{s.Name} has a gradient but never changes", $"‖g‖ {E(s.FirstGradNorm)}, weights identical after all steps",
                "the optimiser skips it: is it in the optimiser's parameter list?");
        foreach (var s in stats.Where(s => s.MedianUpdateRatio > 0.25 && !s.Name.EndsWith(".bias", StringComparison.Ordinal)))
            yield return FindingCatalog.UpdateRatioHigh.Create($"{s.Name} changes by {s.MedianUpdateRatio:P0} of its norm per step",
                $"median ‖Δθ‖/‖θ‖ {E(s.MedianUpdateRatio)} (early steps: 1e-3 to 1e-1)", "lower `LearningRate` (see the sweep) or average the loss over the batch");
        foreach (var s in stats.Where(s => s.GotGradient && s.MedianUpdateRatio is > 0 and < 1e-6 && !s.Name.EndsWith(".bias", StringComparison.Ordinal)))
            yield return FindingCatalog.UpdateRatioLow.Create($"{s.Name} barely moves: {E(s.MedianUpdateRatio)} of its norm per step",
                $"median ‖Δθ‖/‖θ‖ {E(s.MedianUpdateRatio)} (healthy: about 1e-3)", "raise `LearningRate` (see the sweep)");
    }

    private static IEnumerable<Finding> CollapseFindings(List<(int Predicted, int Label)> recent, int classes)
    {
        if (recent.Count == 0 || recent.Select(r => r.Label).Distinct().Count() < 3) yield break;
        var top = recent.CountBy(r => r.Predicted).MaxBy(g => g.Value);
        double share = (double)top.Value / recent.Count;
        if (share > 0.9)
            yield return FindingCatalog.PredictionsCollapsed.Create($"the model predicts class {top.Key} for {share:P0} of samples",
                $"last 5 steps: {top.Value} of {recent.Count} predictions are class {top.Key}; labels span {recent.Select(r => r.Label).Distinct().Count()} classes",
                "a collapsed output follows a too-high learning rate, dead units or a broken loss; see the other findings");
    }

    internal static double Norm(float[] d) => Math.Sqrt(d.Sum(v => (double)v * v));

    private static double Distance(float[] a, float[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
        return Math.Sqrt(s);
    }

    private static double Median(List<double> values) => values.Count == 0 ? 0 : values.Order().ElementAt(values.Count / 2);
}
