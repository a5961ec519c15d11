using System.Globalization;
using AutoGrad.Models.Data;
using AutoGrad.Models.Training;
using static AutoGrad.Models.Diagnostics.AuditFindings;

namespace AutoGrad.Models.Diagnostics;

/// <summary>The learning-rate sweep's measurement: mean loss over its last steps, or NaN when it diverged.</summary>
public sealed record SweepPoint(double LearningRate, double FinalLoss);

public sealed record SanityLadderResult(IReadOnlyList<Finding> Findings, int OverfitSteps, double OverfitAccuracy,
    double RealAccuracy, double ShuffledAccuracy, double ZeroInputAccuracy, IReadOnlyList<SweepPoint> Sweep, double? RecommendedRate);

/// <summary>
/// Rungs that each rule out one part of the pipeline: overfitting one fixed batch (model, gradients, loss);
/// real labels against shuffled labels (data and labels); real inputs against zero inputs (does the model use
/// its input); and a short learning-rate sweep that recommends a rate.
/// </summary>
public static class SanityLadder
{
    public static SanityLadderResult Run(ModelRecipe recipe, DataSplits data, Normalization norm, DoctorOptions options)
    {
        var findings = new List<Finding>();
        var train = data.Train;
        var fixedIndices = SampleBatch.Spread(train, options.OverfitBatch, options.Seed);
        var (fixedImages, fixedLabels) = SampleBatch.Take<float>(train, norm, fixedIndices, recipe.Spec.Input);

        // Rung 1: one fixed batch, the user's settings (no weight decay: it fights memorisation), constant rate.
        var noDecay = options with { WeightDecay = 0 };
        var (steps, accuracy) = Overfit(recipe, fixedImages, fixedLabels, noDecay, options.LearningRate);
        string settings = $"{options.Optimizer} lr {G(options.LearningRate)}";
        if (accuracy >= 0.99)
            findings.Add(FindingCatalog.OverfitOk.Create($"the model memorises one batch of {fixedLabels.Length}",
                $"100% reached in {steps} steps with {settings}", "-"));
        else
        {
            var reference = noDecay with { Optimizer = "adam", OptimizerFactory = null, LearningRate = 1e-3 };
            var (refSteps, refAccuracy) = options.Optimizer == "adam" && options.LearningRate == 1e-3 ? (steps, accuracy) : Overfit(recipe, fixedImages, fixedLabels, reference, 1e-3);
            if (refAccuracy >= 0.99)
                findings.Add(FindingCatalog.OverfitSlow.Create($"with your settings the model does not memorise one batch of {fixedLabels.Length}, with adam 1e-3 it does",
                    $"{settings}: {accuracy:P0} after {steps} steps; adam lr 0.001: 100% after {refSteps} steps",
                    "the model and gradients are fine; the optimiser settings are not (see the sweep)"));
            else
                findings.Add(FindingCatalog.OverfitFailed.Create($"the model cannot memorise one fixed batch of {fixedLabels.Length} samples",
                    $"{settings}: {accuracy:P0} after {steps} steps; adam lr 0.001: {refAccuracy:P0} after {refSteps} steps (a working model reaches 100%)",
                    "suspect the model, its gradients or the loss: fix the errors above first"));
        }

        // Rungs 2 and 3: the same start and batches with real labels, shuffled labels, and zero inputs.
        var heldIndices = SampleBatch.Spread(data.Test, options.HeldOut, options.Seed + 1);
        var (heldImages, heldLabels) = SampleBatch.Take<float>(data.Test, norm, heldIndices, recipe.Spec.Input);
        var shuffled = train.Labels.ToArray();
        new Random(options.Seed).Shuffle(shuffled);
        double real = Control(recipe, train, norm, options, null, false, heldImages, heldLabels);
        double randomLabels = Control(recipe, train, norm, options, shuffled, false, heldImages, heldLabels);
        double zeros = Control(recipe, train, norm, options, null, true, heldImages, heldLabels);
        double margin = Math.Max(0.05, 3 * Math.Sqrt(0.25 / heldLabels.Length));
        string controls = $"held-out accuracy after {options.ControlSteps} steps: real labels {real:P1}, shuffled labels {randomLabels:P1}, zero inputs {zeros:P1} ({heldLabels.Length} test samples)";
        // With a handful of test samples no accuracy can beat a control by the margin (3 standard errors): say so
        // instead of blaming the data.
        double chance = 1.0 / Math.Max(2, data.Train.Classes.Count);
        if (chance + margin > 1)
            findings.Add(FindingCatalog.ControlsInconclusive.Create($"the test split is too small ({heldLabels.Length} samples) to tell real labels from the controls",
                controls, "add test images (a few hundred give a clear answer)"));
        else if (real < randomLabels + margin)
            findings.Add(FindingCatalog.LabelsNotLearnable.Create("real labels do not beat shuffled labels",
                controls, "suspect the data or label pipeline (labels paired with the wrong images, a wrong class mapping), or the model does not learn at all"));
        if (chance + margin <= 1 && real < zeros + margin)
            findings.Add(FindingCatalog.InputsIgnored.Create("the model does no better on real images than on zero inputs",
                controls, "the input does not reach the output usefully: check preprocessing and the early layers"));
        if (chance + margin <= 1 && real >= Math.Max(randomLabels, zeros) + margin)
            findings.Add(FindingCatalog.ControlsOk.Create("real labels and inputs clearly beat the shuffled-label and zero-input controls", controls, "-"));

        // Rung 4: learning-rate sweep from the same start on the same batches.
        var sweep = Sweep(recipe, train, norm, options);
        var finite = sweep.Where(p => double.IsFinite(p.FinalLoss)).ToList();
        double? best = finite.Count == 0 ? null : finite.MinBy(p => p.FinalLoss)!.LearningRate;
        string table = string.Join(", ", sweep.Select(p => $"{G(p.LearningRate)}: {(double.IsFinite(p.FinalLoss) ? p.FinalLoss.ToString("F3", CultureInfo.InvariantCulture) : "diverged")}"));
        if (best is double rate)
        {
            double bestLoss = finite.Min(p => p.FinalLoss);
            var mine = sweep.FirstOrDefault(p => Math.Abs(Math.Log10(p.LearningRate / options.LearningRate)) < 0.05);
            bool far = Math.Abs(Math.Log10(options.LearningRate / rate)) >= 1 - 1e-9
                && (mine is null || !double.IsFinite(mine.FinalLoss) || mine.FinalLoss > bestLoss + 0.1);
            findings.Add((far ? FindingCatalog.LrFarFromBest : FindingCatalog.LrSweep).Create(
                far ? $"`LearningRate` {G(options.LearningRate)} is at least 10× from the best rate of the sweep, {G(rate)}" : $"the sweep recommends `LearningRate` {G(rate)} for {options.Optimizer}",
                $"mean loss of the last 5 of {options.SweepSteps} steps per rate: {table}",
                $"train with `LearningRate` {G(rate)}"));
        }
        else findings.Add(FindingCatalog.LrSweepDiverged.Create("every rate of the sweep diverged", table,
            "the loss overflows at any rate: look for the NaN/Inf finding"));
        return new SanityLadderResult(findings, steps, accuracy, real, randomLabels, zeros, sweep, best);
    }

    private static (int Steps, double Accuracy) Overfit(ModelRecipe recipe, Tensor<float> images, int[] labels, DoctorOptions options, double lr)
    {
        var model = recipe.Create(options.Seed);
        var runner = new StepRunner(model, options);
        double accuracy = 0;
        for (int s = 1; s <= options.OverfitSteps; s++)
        {
            var result = runner.Step(images, labels, lr);
            if (!double.IsFinite(result.Loss)) return (s, 0);
            if (s % 10 == 0 || s == options.OverfitSteps)
            {
                accuracy = StepRunner.Accuracy(model, images, labels);
                if (accuracy >= 0.99) return (s, accuracy);
            }
        }
        return (options.OverfitSteps, accuracy);
    }

    private static double Control(ModelRecipe recipe, ImageDataset train, Normalization norm, DoctorOptions options, int[]? labelsOverride,
        bool zeroInputs, Tensor<float> heldImages, int[] heldLabels)
    {
        var model = recipe.Create(options.Seed);
        var runner = new StepRunner(model, options);
        var order = SampleBatch.Random(train, options.ControlSteps * options.BatchSize, options.Seed + 2);
        for (int s = 0; s * options.BatchSize < order.Length && s < options.ControlSteps; s++)
        {
            var indices = order.Skip(s * options.BatchSize).Take(options.BatchSize).ToArray();
            var (images, labels) = SampleBatch.Take<float>(train, norm, indices, recipe.Spec.Input);
            if (labelsOverride is not null) labels = indices.Select(i => labelsOverride[i]).ToArray();
            if (zeroInputs) Array.Clear(images.Data);
            if (!double.IsFinite(runner.Step(images, labels, options.LearningRate).Loss)) break;
        }
        return StepRunner.Accuracy(model, heldImages, heldLabels);
    }

    private static List<SweepPoint> Sweep(ModelRecipe recipe, ImageDataset train, Normalization norm, DoctorOptions options)
    {
        double[] rates = options.Optimizer is "adam" or "adamw" ? [1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 1e-1] : [1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1];
        if (!rates.Any(r => Math.Abs(Math.Log10(r / options.LearningRate)) < 0.05)) rates = [.. rates, options.LearningRate];
        var order = SampleBatch.Random(train, options.SweepSteps * options.BatchSize, options.Seed + 3);
        var batches = Enumerable.Range(0, options.SweepSteps).Select(s => order.Skip(s * options.BatchSize).Take(options.BatchSize).ToArray())
            .Where(b => b.Length > 0).Select(b => SampleBatch.Take<float>(train, norm, b, recipe.Spec.Input)).ToList();
        var points = new List<SweepPoint>();
        foreach (double rate in rates.Order())
        {
            var model = recipe.Create(options.Seed);
            var runner = new StepRunner(model, options);
            var losses = new List<double>();
            foreach (var (images, labels) in batches)
            {
                double loss = runner.Step(images, labels, rate).Loss;
                losses.Add(loss);
                if (!double.IsFinite(loss) || loss > 3 * Math.Max(losses[0], Math.Log(model.Classes))) { losses.Add(double.NaN); break; }
            }
            points.Add(new SweepPoint(rate, losses.TakeLast(5).Average()));
        }
        return points;
    }
}
