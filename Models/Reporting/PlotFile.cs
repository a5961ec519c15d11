using AutoGrad.Models.IO;
using ScottPlot;

namespace AutoGrad.Models.Reporting;

/// <summary>Renders a ScottPlot plot to PNG bytes and writes them atomically, so a viewer never sees half an image.</summary>
internal static class PlotFile
{
    /// <summary>Checks that <paramref name="path"/> names a .png file before any rendering work is done.</summary>
    public static void CheckPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new AutoGradException("TrainingPlots: expected a .png file path, got an empty one");
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new AutoGradException($"{path}: plots are written as PNG, expected a path ending in .png");
    }

    /// <summary>Renders <paramref name="plot"/> at <paramref name="width"/> × <paramref name="height"/> pixels to <paramref name="path"/>.</summary>
    public static void Save(Plot plot, string path, int width, int height)
    {
        // Without any installed font Skia falls back to an unnamed empty typeface and renders every label as
        // nothing, silently: fail loudly instead.
        if (string.IsNullOrEmpty(SkiaSharp.SKTypeface.Default.FamilyName))
            throw new AutoGradException(
                $"{path}: no fonts are installed, so the plot would have no text (install e.g. the fonts-dejavu-core package)");
        // Rendering to memory first means a failure in the renderer leaves any previous image in place.
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
