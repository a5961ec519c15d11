using ScottPlot;

namespace AutoGrad.Models.Reporting;

/// <summary>
/// The report's figures as PNG files, written atomically: loss curves, accuracy curves and the confusion
/// matrix heatmap. Non-finite values (a diverged loss) are left out of the curves rather than breaking the axes.
/// </summary>
public static class TrainingPlots
{
    private const int Width = 800, Height = 500;

    /// <summary>
    /// Plots training loss per epoch and validation loss where present. If <paramref name="stepLosses"/> holds the
    /// per-step training losses of the same epochs, they are drawn as a thin line spread evenly over the epochs:
    /// step i of S lands at x = e0 − 1 + (i + 1) · E / S, so the last step of epoch e sits at x = e, beside the
    /// epoch's mean.
    /// </summary>
    /// <param name="evaluationLabel">Legend name of the evaluated split ("validation", or "test" when the data has no validation split).</param>
    public static void SaveLoss(string path, IReadOnlyList<EpochMetrics> rows, IReadOnlyList<double>? stepLosses = null, string evaluationLabel = "validation")
    {
        CheckRows(path, rows);
        Plot plot = NewPlot("Loss", "loss");
        if (stepLosses is { Count: > 0 })
        {
            double first = rows[0].Epoch - 1, perStep = (double)rows.Count / stepLosses.Count;
            var xs = Enumerable.Range(0, stepLosses.Count).Select(i => first + (i + 1) * perStep);
            var steps = AddSeries(plot, xs, stepLosses, "train (per step)", Colors.SteelBlue.WithAlpha(0.45));
            steps.MarkerSize = 0;
            steps.LineWidth = 1;
        }
        AddSeries(plot, rows.Select(r => (double)r.Epoch), rows.Select(r => r.TrainLoss), "train (epoch mean)", Colors.Navy);
        AddValidation(plot, rows, r => r.ValLoss, Colors.OrangeRed, evaluationLabel);
        plot.ShowLegend(Alignment.UpperRight);
        PlotFile.Save(plot, path, Width, Height);
    }

    /// <summary>Plots training accuracy and, where present, validation (or test) accuracy per epoch, in percent.</summary>
    public static void SaveAccuracy(string path, IReadOnlyList<EpochMetrics> rows, string evaluationLabel = "validation")
    {
        CheckRows(path, rows);
        Plot plot = NewPlot("Accuracy", "accuracy (%)");
        AddSeries(plot, rows.Select(r => (double)r.Epoch), rows.Select(r => 100 * r.TrainAccuracy), "train", Colors.Navy);
        AddValidation(plot, rows, r => r.ValAccuracy * 100, Colors.OrangeRed, evaluationLabel);
        plot.ShowLegend(Alignment.LowerRight);
        PlotFile.Save(plot, path, Width, Height);
    }

    /// <summary>
    /// Draws the confusion matrix as a heatmap, rows = true class, columns = predicted class, labelled with the
    /// class names. See <see cref="ConfusionHeatmap"/> for colouring and cell labels.
    /// </summary>
    public static void SaveConfusion(string path, int[,] confusion, IReadOnlyList<string> classes)
    {
        PlotFile.CheckPath(path);
        ConfusionMatrix.Check(path, confusion, classes);
        (Plot plot, int width, int height) = ConfusionHeatmap.Build(confusion, classes);
        PlotFile.Save(plot, path, width, height);
    }

    private static void CheckRows(string path, IReadOnlyList<EpochMetrics> rows)
    {
        PlotFile.CheckPath(path);
        if (rows is null || rows.Count == 0)
            throw new AutoGradException($"{path}: expected at least one epoch of metrics to plot");
        if (rows.Any(r => r is null))
            throw new AutoGradException($"{path}: the metrics list contains a null row");
    }

    private static Plot NewPlot(string title, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        // Epochs are whole numbers; half-epoch ticks would suggest measurements that do not exist.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    private static void AddValidation(Plot plot, IReadOnlyList<EpochMetrics> rows, Func<EpochMetrics, double?> value, Color color, string label)
    {
        var evaluated = rows.Where(r => value(r) is not null).ToList();
        if (evaluated.Count > 0)
            AddSeries(plot, evaluated.Select(r => (double)r.Epoch), evaluated.Select(r => value(r)!.Value), label, color);
    }

    private static ScottPlot.Plottables.Scatter AddSeries(
        Plot plot, IEnumerable<double> xs, IEnumerable<double> ys, string label, Color color)
    {
        var points = xs.Zip(ys).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToArray();
        var series = plot.Add.Scatter(points.Select(p => p.First).ToArray(), points.Select(p => p.Second).ToArray(), color);
        series.LegendText = label;
        series.LineWidth = 2;
        series.MarkerSize = 6;
        return series;
    }
}
