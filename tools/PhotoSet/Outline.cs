namespace AutoGrad.Tools.PhotoSet;

/// <summary>The outlines a sprite can have: the five class shapes and three distractor-only ones.</summary>
public enum Outline { Disk, Square, Triangle, Star, Cross, Ring, Bar, Blob }

/// <summary>
/// Signed distances in a sprite's own units (its size is 1): negative inside, positive outside, about one unit per
/// unit away from the edge near it, which is all the one-pixel anti-aliasing needs. Sizes are chosen so the five
/// class shapes cover similar areas (area alone should not give the shape away).
/// </summary>
public static class OutlineDistance
{
    public static double Of(Outline outline, double x, double y) => outline switch
    {
        Outline.Disk => Math.Sqrt(x * x + y * y) - 0.85,
        Outline.Square => Polygon(4, 1.0, x, y),
        Outline.Triangle => Polygon(3, 1.15, x, y),
        Outline.Star => Star(1.15, 0.5, x, y),
        Outline.Cross => Math.Min(Box(x, y, 1.0, 0.36), Box(x, y, 0.36, 1.0)),
        Outline.Ring => Math.Abs(Math.Sqrt(x * x + y * y) - 0.8) - 0.18,
        Outline.Bar => Capsule(x, y, 1.0, 0.16),
        // A wobbly disk: a radius that varies with angle, like a pebble or a leaf in the background.
        Outline.Blob => Math.Sqrt(x * x + y * y) - (0.8 + 0.15 * Math.Sin(3 * Math.Atan2(y, x)) + 0.07 * Math.Cos(5 * Math.Atan2(y, x))),
        _ => throw new ArgumentOutOfRangeException(nameof(outline)),
    };

    /// <summary>How far the outline reaches from its centre, in its own units (for bounding boxes).</summary>
    public const double Reach = 1.2;

    // A regular n-gon with circumradius r: fold the angle into one edge's sector and measure along that edge's normal
    // (exact inside; outside it ignores the corners' rounding, which moves the edge by less than a pixel).
    private static double Polygon(int n, double r, double x, double y)
    {
        double sector = 2 * Math.PI / n;
        double angle = Math.Atan2(y, x);
        double folded = angle - sector * Math.Floor(angle / sector) - sector / 2;
        return Math.Sqrt(x * x + y * y) * Math.Cos(folded) - r * Math.Cos(Math.PI / n);
    }

    // A five-pointed star: fold into the half-sector between a tip (radius outer, angle 0) and the next inner corner
    // (radius inner, angle π/5), then the distance to that edge segment, signed by the side of its line.
    private static double Star(double outer, double inner, double x, double y)
    {
        double half = Math.PI / 5;
        double rho = Math.Sqrt(x * x + y * y);
        double angle = Math.Atan2(y, x);
        double a = Math.Abs(angle - 2 * half * Math.Round(angle / (2 * half)));
        double px = rho * Math.Cos(a), py = rho * Math.Sin(a);
        double ax = outer, ay = 0, bx = inner * Math.Cos(half), by = inner * Math.Sin(half);
        double ex = bx - ax, ey = by - ay;
        double t = Math.Clamp(((px - ax) * ex + (py - ay) * ey) / (ex * ex + ey * ey), 0, 1);
        double dx = px - ax - t * ex, dy = py - ay - t * ey;
        double distance = Math.Sqrt(dx * dx + dy * dy);
        // The origin side of the tip→inner edge is inside.
        return ex * (py - ay) - ey * (px - ax) > 0 ? -distance : distance;
    }

    private static double Box(double x, double y, double halfWidth, double halfHeight) =>
        Math.Max(Math.Abs(x) - halfWidth, Math.Abs(y) - halfHeight);

    private static double Capsule(double x, double y, double halfLength, double radius)
    {
        double along = Math.Clamp(x, -halfLength, halfLength);
        return Math.Sqrt((x - along) * (x - along) + y * y) - radius;
    }
}
