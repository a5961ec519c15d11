namespace AutoGrad.Tools.PhotoSet;

/// <summary>A surface pattern: the class texture on the main object, or clutter on distractors and background.</summary>
public enum Pattern { None, Stripes, Dots }

/// <summary>
/// One object in a scene: an outline placed at a centre with a size (pixels), rotation and stretch, filled with a
/// colour, an optional pattern in a second colour and a little directional shading; composited with one-pixel
/// anti-aliased edges onto a float RGB canvas.
/// </summary>
public sealed class Sprite
{
    public Outline Outline { get; init; }
    public double CenterX { get; init; }
    public double CenterY { get; init; }
    /// <summary>Size of one outline unit in pixels.</summary>
    public double Size { get; init; }
    public double Rotation { get; init; }
    public double StretchX { get; init; } = 1;
    public double StretchY { get; init; } = 1;
    public (double R, double G, double B) Color { get; init; }
    public Pattern Pattern { get; init; }
    public (double R, double G, double B) PatternColor { get; init; }
    /// <summary>Stripe period or dot spacing in outline units.</summary>
    public double Period { get; init; } = 0.4;
    public double PatternAngle { get; init; }
    /// <summary>Brightness change across the object (−Shade at one side to +Shade at the other).</summary>
    public double Shade { get; init; }
    public double Opacity { get; init; } = 1;

    /// <summary>Composites this sprite onto <paramref name="canvas"/> (row-major RGB, values in 0..1).</summary>
    public void Draw(float[] canvas, int width, int height)
    {
        double reach = OutlineDistance.Reach * Size * Math.Max(StretchX, StretchY) + 2;
        int x0 = Math.Max(0, (int)(CenterX - reach)), x1 = Math.Min(width - 1, (int)(CenterX + reach));
        int y0 = Math.Max(0, (int)(CenterY - reach)), y1 = Math.Min(height - 1, (int)(CenterY + reach));
        double cos = Math.Cos(Rotation), sin = Math.Sin(Rotation);
        double pcos = Math.Cos(PatternAngle), psin = Math.Sin(PatternAngle);
        // Distances come back in outline units; this turns them into pixels for the anti-aliased edge.
        double pixelsPerUnit = Size * Math.Min(StretchX, StretchY);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
            {
                double dx = x + 0.5 - CenterX, dy = y + 0.5 - CenterY;
                double u = (cos * dx + sin * dy) / (Size * StretchX), v = (-sin * dx + cos * dy) / (Size * StretchY);
                double coverage = Math.Clamp(0.5 - OutlineDistance.Of(Outline, u, v) * pixelsPerUnit, 0, 1) * Opacity;
                if (coverage <= 0) continue;
                double mix = PatternAt(pcos * u + psin * v, -psin * u + pcos * v, pixelsPerUnit);
                double light = 1 + Shade * (0.6 * u + 0.8 * v);
                int i = 3 * (y * width + x);
                Blend(canvas, i, (Color.R + mix * (PatternColor.R - Color.R)) * light, coverage);
                Blend(canvas, i + 1, (Color.G + mix * (PatternColor.G - Color.G)) * light, coverage);
                Blend(canvas, i + 2, (Color.B + mix * (PatternColor.B - Color.B)) * light, coverage);
            }
    }

    // 0 = object colour, 1 = pattern colour; edges about a pixel and a half wide so the pattern does not alias.
    private double PatternAt(double a, double b, double pixelsPerUnit)
    {
        double periodPixels = Period * pixelsPerUnit;
        switch (Pattern)
        {
            case Pattern.Stripes:
                return Math.Clamp(0.5 + periodPixels / (3 * Math.PI) * Math.Cos(2 * Math.PI * a / Period), 0, 1);
            case Pattern.Dots:
                double fa = a / Period - Math.Round(a / Period), fb = b / Period - Math.Round(b / Period);
                double distance = (Math.Sqrt(fa * fa + fb * fb) - 0.3) * periodPixels;
                return Math.Clamp(0.5 - distance, 0, 1);
            default:
                return 0;
        }
    }

    private static void Blend(float[] canvas, int i, double value, double alpha) =>
        canvas[i] = (float)(canvas[i] + alpha * (value - canvas[i]));
}
