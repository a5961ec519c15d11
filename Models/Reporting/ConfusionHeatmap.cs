using System.Globalization;
using ScottPlot;

namespace AutoGrad.Models.Reporting;

/// <summary>Lays out the confusion-matrix heatmap: colours, class-name ticks and per-cell counts.</summary>
internal static class ConfusionHeatmap
{
    /// <summary>Counts are written in the cells only up to this many classes; beyond it they would not fit.</summary>
    public const int MaxLabelledClasses = 20;

    // Rough width of one tick-label character in pixels, to size margins for the class names.
    private const int CharWidth = 7;

    /// <summary>
    /// Builds the plot and a pixel size that gives each cell room. Colour is the fraction of the true class
    /// (row-normalised), so rare classes are as readable as common ones; the cells show the raw counts.
    /// </summary>
    public static (Plot Plot, int Width, int Height) Build(int[,] confusion, IReadOnlyList<string> classes)
    {
        int n = classes.Count;
        double[,] fraction = RowFractions(confusion);
        var plot = new Plot();
        // ScottPlot's default layout centres cell (t, p) on x = p, y = n - 1 - t: row 0 at the top, as matrices are read.
        var heatmap = plot.Add.Heatmap(fraction);
        // Dark for the large fractions (the diagonal, when the model is good), white for empty cells.
        heatmap.Colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "share of true class";
        colorBar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"]);

        int cell = Math.Clamp(600 / n, 12, 120);
        double[] positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classes.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            positions, Enumerable.Range(0, n).Select(i => classes[n - 1 - i]).ToArray());
        int longest = Math.Min(classes.Max(c => c.Length), 40);
        if (longest * CharWidth > cell)
        {
            // Names wider than a cell are slanted so they do not run into their neighbours.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = longest * CharWidth * 0.75f + 40;
        }
        plot.Title("Confusion matrix");
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        plot.HideGrid();
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);

        if (n <= MaxLabelledClasses)
            AddCounts(plot, confusion, fraction, cell);
        int margin = 120 + CharWidth * longest;
        return (plot, n * cell + margin + 120, n * cell + margin + 60);
    }

    private static void AddCounts(Plot plot, int[,] confusion, double[,] fraction, int cell)
    {
        int n = confusion.GetLength(0);
        for (int t = 0; t < n; t++)
        {
            for (int p = 0; p < n; p++)
            {
                var text = plot.Add.Text(confusion[t, p].ToString(CultureInfo.InvariantCulture), p, n - 1 - t);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = Math.Clamp(cell / 3f, 9, 16);
                // White on the dark end of the colormap, black on the light end.
                text.LabelFontColor = fraction[t, p] > 0.5 ? Colors.White : Colors.Black;
            }
        }
    }

    private static double[,] RowFractions(int[,] confusion)
    {
        int n = confusion.GetLength(0);
        var fraction = new double[n, n];
        for (int t = 0; t < n; t++)
        {
            long total = 0;
            for (int p = 0; p < n; p++)
                total += confusion[t, p];
            for (int p = 0; p < n; p++)
                fraction[t, p] = total == 0 ? 0 : (double)confusion[t, p] / total;
        }
        return fraction;
    }
}
