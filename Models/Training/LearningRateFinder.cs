using System.Text.Json;
using AutoGrad.Models.Data;

namespace AutoGrad.Models.Training;

/// <summary>One step of a range test: the rate it used, its batch loss and the bias-corrected smoothed loss.</summary>
public sealed record RangeTestPoint(double LearningRate, double Loss, double Smoothed);

/// <summary>A range test's curve, the rate it suggests, and whether it stopped because the loss diverged.</summary>
public sealed record RangeTestResult(IReadOnlyList<RangeTestPoint> Points, double Suggested, bool Diverged)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The curve and suggestion as indented JSON (snake_case keys), for <c>lr-find --json</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        suggested = Suggested, diverged = Diverged, steps = Points.Count,
        points = Points.Select(p => new { learning_rate = p.LearningRate, loss = p.Loss, smoothed = p.Smoothed }),
    }, Indented);
}

/// <summary>
/// The learning-rate range test. Step i of n trains one batch at rate min·(max/min)^(i/(n−1)) (exponentially
/// increasing) without resetting the weights; the loss is smoothed by an exponential moving average with bias
/// correction, s_i = a_i / (1 − β^(i+1)), a_i = β·a_(i−1) + (1 − β)·loss_i. The test stops early when the loss is not
/// finite or s_i exceeds <see cref="DivergeFactor"/> × the best s so far. The suggested rate is where the smoothed
/// loss falls fastest per unit of log-rate (the most negative central difference ds/dlog(lr)), searched only up to
/// the minimum of the smoothed loss: the minimum itself sits at the edge of divergence (the smoothing lags), the
/// steepest descent well inside the range where training still makes progress.
/// </summary>
public sealed record LearningRateFinder(double MinRate = 1e-6, double MaxRate = 1, int Steps = 200, double Smoothing = 0.98, double DivergeFactor = 4)
{
    public void Validate()
    {
        if (!(MinRate > 0) || !(MaxRate > MinRate) || !double.IsFinite(MaxRate))
            throw new AutoGradException($"`MinRate` and `MaxRate` must be positive with `MinRate` < `MaxRate` (got {MinRate}, {MaxRate})");
        if (Steps < 5) throw new AutoGradException($"`Steps` must be at least 5 (got {Steps})");
        if (Smoothing is < 0 or >= 1) throw new AutoGradException($"`Smoothing` must be in [0, 1) (got {Smoothing})");
        if (!(DivergeFactor > 1)) throw new AutoGradException($"`DivergeFactor` must be above 1 (got {DivergeFactor})");
    }

    public double RateAt(int i) => MinRate * Math.Pow(MaxRate / MinRate, (double)i / (Steps - 1));

    /// <summary>Runs the test; <paramref name="step"/>(rate, i) trains one batch at the rate and returns its loss.</summary>
    public RangeTestResult Run(Func<double, int, double> step)
    {
        Validate();
        var points = new List<RangeTestPoint>(Steps);
        double average = 0, best = double.PositiveInfinity;
        bool diverged = false;
        for (int i = 0; i < Steps; i++)
        {
            double rate = RateAt(i), loss = step(rate, i);
            if (!double.IsFinite(loss)) { diverged = true; break; }
            average = Smoothing * average + (1 - Smoothing) * loss;
            double smoothed = average / (1 - Math.Pow(Smoothing, i + 1));
            points.Add(new RangeTestPoint(rate, loss, smoothed));
            if (smoothed > DivergeFactor * best) { diverged = true; break; }
            best = Math.Min(best, smoothed);
        }
        return new RangeTestResult(points, Suggest(points), diverged);
    }

    /// <summary>The rate of steepest descent of the smoothed loss before its minimum (see the type's remarks).</summary>
    public static double Suggest(IReadOnlyList<RangeTestPoint> points)
    {
        if (points.Count < 3) throw new AutoGradException($"the range test diverged after {points.Count} steps; lower `MinRate`");
        int minimum = 0;
        for (int i = 1; i < points.Count; i++) if (points[i].Smoothed < points[minimum].Smoothed) minimum = i;
        int steepest = -1;
        double slope = double.PositiveInfinity;
        for (int i = 1; i <= Math.Min(minimum, points.Count - 2); i++)
        {
            double s = (points[i + 1].Smoothed - points[i - 1].Smoothed) / Math.Log(points[i + 1].LearningRate / points[i - 1].LearningRate);
            if (s < slope) { slope = s; steepest = i; }
        }
        // No descent before the minimum (it is the first point): the loss only rose, so the lowest rate tried is the answer.
        return steepest < 0 ? points[0].LearningRate : points[steepest].LearningRate;
    }

    /// <summary>
    /// Runs the test on <paramref name="model"/> (changing its weights) through the trainer's <see cref="TrainingStep"/>,
    /// with the optimiser, batch size, augmentation, label smoothing, clipping, seed and compute settings of <paramref name="options"/>.
    /// </summary>
    public RangeTestResult Run(Model<float> model, ImageDataset train, Normalization norm, TrainOptions options)
    {
        Validate();
        options.Validate();
        using var compute = Compute.Use(options.Compute);
        var optimizer = OptimizerFactory.Create(options.Optimizer, model.Parameters, options.Momentum, options.WeightDecay);
        var step = new TrainingStep(model, optimizer, new CrossEntropyLoss(options.LabelSmoothing), options.ClipNorm);
        var iterator = new BatchIterator(train, norm, options.BatchSize, shuffle: true, options.Seed, options.Augmentation);
        var images = new float[options.BatchSize * train.SampleSize];
        var labels = new int[options.BatchSize];
        return Run((rate, i) =>
        {
            int epoch = i / iterator.BatchesPerEpoch, b = i % iterator.BatchesPerEpoch;
            int n = iterator.Fill(epoch, b, images, labels);
            try { return step.Run(images.AsSpan(0, n * train.SampleSize), labels[..n], new StepPosition(options.Seed, epoch, b), rate).Loss; }
            catch (NonFiniteException) { return double.NaN; }   // divergence: the end of the test, not an error
        });
    }
}
