namespace AutoGrad.Tools.PhotoSet;

/// <summary>Colour helpers on (R, G, B) triples in 0..1.</summary>
public static class Colors
{
    /// <summary>HSV to RGB; hue in degrees (any value, wrapped), saturation and value in 0..1.</summary>
    public static (double R, double G, double B) Hsv(double hue, double saturation, double value)
    {
        double h = ((hue % 360) + 360) % 360 / 60;
        double chroma = value * saturation, x = chroma * (1 - Math.Abs(h % 2 - 1)), m = value - chroma;
        var (r, g, b) = (int)h switch
        {
            0 => (chroma, x, 0.0), 1 => (x, chroma, 0.0), 2 => (0.0, chroma, x),
            3 => (0.0, x, chroma), 4 => (x, 0.0, chroma), _ => (chroma, 0.0, x),
        };
        return (r + m, g + m, b + m);
    }

    public static (double R, double G, double B) Gray(double value) => (value, value, value);

    public static (double R, double G, double B) Scale((double R, double G, double B) c, double f) => (c.R * f, c.G * f, c.B * f);

    public static (double R, double G, double B) Mix((double R, double G, double B) a, (double R, double G, double B) b, double t) =>
        (a.R + t * (b.R - a.R), a.G + t * (b.G - a.G), a.B + t * (b.B - a.B));
}
