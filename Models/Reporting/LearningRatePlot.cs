using AutoGrad.Models.Training;
using ScottPlot;

namespace AutoGrad.Models.Reporting;

/// <summary>The range test's figure: batch and smoothed loss against log10 of the rate, the suggestion marked.</summary>
public static class LearningRatePlot
{
    public static void Save(string path, RangeTestResult result)
    {
        PlotFile.CheckPath(path);
        if (result.Points.Count == 0) throw new AutoGradException($"{path}: the range test has no points to plot");
        var plot = new Plot();
        plot.Title("Learning-rate range test");
        plot.XLabel("log10(learning rate)");
        plot.YLabel("loss");
        double[] xs = result.Points.Select(p => Math.Log10(p.LearningRate)).ToArray();
        var raw = plot.Add.Scatter(xs, result.Points.Select(p => p.Loss).ToArray(), Colors.SteelBlue.WithAlpha(0.45));
        raw.LegendText = "batch loss";
        raw.MarkerSize = 0;
        raw.LineWidth = 1;
        var smooth = plot.Add.Scatter(xs, result.Points.Select(p => p.Smoothed).ToArray(), Colors.Navy);
        smooth.LegendText = "smoothed";
        smooth.MarkerSize = 0;
        smooth.LineWidth = 2;
        var line = plot.Add.VerticalLine(Math.Log10(result.Suggested), 2, Colors.OrangeRed);
        line.LegendText = $"suggested {result.Suggested:G3}";
        // The diverging tail would squash the useful part of the curve: cap the view at 4× the first smoothed loss.
        double top = Math.Min(result.Points.Max(p => p.Loss), 4 * result.Points[0].Smoothed);
        plot.Axes.SetLimitsY(0, top * 1.05);
        plot.ShowLegend(Alignment.UpperLeft);
        PlotFile.Save(plot, path, 800, 500);
    }
}
