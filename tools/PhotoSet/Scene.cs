using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace AutoGrad.Tools.PhotoSet;

/// <summary>
/// Draws one photo of a class from its own seed: a cluttered background (smooth colour waves, sometimes a faint
/// pattern), 2–6 distractors (small class-like shapes, rings, bars, blobs, some patterned), the class object at a
/// random place, size, rotation and stretch, sometimes a bar in front of it, then uneven lighting, a colour cast and
/// sensor noise. Every random choice comes from <see cref="Rng"/>, so the same seed gives the same pixels.
/// </summary>
public static class Scene
{
    public const int MinSide = 250, MaxSide = 500;

    /// <summary>Renders the photo and encodes it as a JPEG of quality 75–95 (also drawn from the seed).</summary>
    public static void WriteJpeg(PhotoClass photoClass, ulong seed, Stream output)
    {
        var rng = new Rng(seed);
        using var image = Render(photoClass, ref rng);
        image.SaveAsJpeg(output, new JpegEncoder { Quality = rng.Between(75, 95), ColorType = JpegColorType.YCbCrRatio420 });
    }

    public static Image<Rgb24> Render(PhotoClass photoClass, ref Rng rng)
    {
        int width = rng.Between(MinSide, MaxSide), height = rng.Between(MinSide, MaxSide);
        var canvas = new float[width * height * 3];
        Background(canvas, width, height, ref rng);
        foreach (var sprite in Clutter(width, height, ref rng)) sprite.Draw(canvas, width, height);
        int distractors = rng.Between(2, 6);
        double mainSize = rng.Uniform(0.2, 0.34) * Math.Min(width, height);
        for (int i = 0; i < distractors; i++) Distractor(width, height, mainSize, ref rng).Draw(canvas, width, height);
        MainObject(photoClass, width, height, mainSize, ref rng).Draw(canvas, width, height);
        if (rng.Chance(0.3)) Occluder(width, height, mainSize, ref rng).Draw(canvas, width, height);
        return Develop(canvas, width, height, ref rng);
    }

    // A base colour of low saturation plus three plane waves of colour, one to five cycles across the image.
    private static void Background(float[] canvas, int width, int height, ref Rng rng)
    {
        var (r, g, b) = Colors.Hsv(rng.Uniform(0, 360), rng.Uniform(0, 0.35), rng.Uniform(0.3, 0.85));
        var waves = new (double Fx, double Fy, double Phase, double R, double G, double B)[3];
        for (int k = 0; k < waves.Length; k++)
            waves[k] = (rng.Uniform(-5, 5) / width, rng.Uniform(-5, 5) / height, rng.Uniform(0, 2 * Math.PI),
                        rng.Uniform(-0.12, 0.12), rng.Uniform(-0.12, 0.12), rng.Uniform(-0.12, 0.12));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double dr = r, dg = g, db = b;
                foreach (var w in waves)
                {
                    double s = Math.Sin(2 * Math.PI * (w.Fx * x + w.Fy * y) + w.Phase);
                    dr += w.R * s; dg += w.G * s; db += w.B * s;
                }
                int i = 3 * (y * width + x);
                canvas[i] = (float)dr; canvas[i + 1] = (float)dg; canvas[i + 2] = (float)db;
            }
    }

    // Sometimes a faint stripe or dot pattern over the whole background, so texture alone does not find the object.
    private static IEnumerable<Sprite> Clutter(int width, int height, ref Rng rng)
    {
        if (!rng.Chance(0.4)) return [];
        double size = Math.Max(width, height) / 2.0;
        return
        [
            new Sprite
            {
                Outline = Outline.Square, CenterX = width / 2.0, CenterY = height / 2.0, Size = size * 1.6, Rotation = Math.PI / 4,
                Color = Colors.Hsv(rng.Uniform(0, 360), rng.Uniform(0, 0.6), rng.Uniform(0.2, 0.9)),
                Pattern = rng.Chance(0.5) ? Pattern.Stripes : Pattern.Dots, PatternColor = Colors.Gray(rng.Uniform(0, 1)),
                Period = rng.Uniform(0.03, 0.09), PatternAngle = rng.Uniform(0, Math.PI), Opacity = rng.Uniform(0.12, 0.3),
            },
        ];
    }

    private static Sprite Distractor(int width, int height, double mainSize, ref Rng rng)
    {
        var outline = (Outline)rng.Between(0, 7);
        // Class-like outlines stay small beside the object; rings, bars and blobs may be nearly as large.
        double scale = outline is Outline.Ring or Outline.Bar or Outline.Blob ? rng.Uniform(0.25, 0.8) : rng.Uniform(0.2, 0.45);
        var color = Colors.Hsv(rng.Uniform(0, 360), rng.Uniform(0.2, 1), rng.Uniform(0.3, 1));
        int pattern = rng.Between(0, 3);
        return new Sprite
        {
            Outline = outline, CenterX = rng.Uniform(0, width), CenterY = rng.Uniform(0, height), Size = mainSize * scale,
            Rotation = rng.Uniform(0, 2 * Math.PI), StretchX = rng.Uniform(0.7, 1.3), StretchY = rng.Uniform(0.7, 1.3),
            Color = color, Pattern = pattern switch { 1 => Pattern.Stripes, 2 => Pattern.Dots, _ => Pattern.None },
            PatternColor = Colors.Scale(color, rng.Uniform(0.3, 0.6)), Period = rng.Uniform(0.3, 0.5),
            PatternAngle = rng.Uniform(0, Math.PI), Shade = rng.Uniform(0, 0.25),
        };
    }

    private static Sprite MainObject(PhotoClass c, int width, int height, double size, ref Rng rng)
    {
        var color = Colors.Hsv(PhotoClass.Degrees(c.Hue) + rng.Uniform(-12, 12), rng.Uniform(0.55, 1), rng.Uniform(0.55, 1));
        // The pattern is drawn darker or lighter than the object, so its brightness does not name the texture.
        var patternColor = rng.Chance(0.5) ? Colors.Scale(color, rng.Uniform(0.25, 0.5)) : Colors.Mix(color, (1, 1, 1), rng.Uniform(0.45, 0.7));
        return new Sprite
        {
            Outline = (Outline)(int)c.Shape, Size = size,
            CenterX = rng.Uniform(size, width - size), CenterY = rng.Uniform(size, height - size),
            Rotation = rng.Uniform(0, 2 * Math.PI), StretchX = rng.Uniform(0.85, 1.15), StretchY = rng.Uniform(0.85, 1.15),
            Color = color, Pattern = c.Texture == Texture.Stripes ? Pattern.Stripes : Pattern.Dots, PatternColor = patternColor,
            Period = c.Texture == Texture.Stripes ? rng.Uniform(0.35, 0.5) : rng.Uniform(0.45, 0.6),
            PatternAngle = rng.Uniform(0, Math.PI), Shade = rng.Uniform(0, 0.25),
        };
    }

    // A thin bar in front of the object (a twig, a wire): partial occlusion.
    private static Sprite Occluder(int width, int height, double mainSize, ref Rng rng) => new()
    {
        Outline = Outline.Bar, CenterX = rng.Uniform(0, width), CenterY = rng.Uniform(0, height), Size = mainSize * rng.Uniform(0.6, 1.2),
        Rotation = rng.Uniform(0, 2 * Math.PI), StretchY = rng.Uniform(0.4, 0.8),
        Color = Colors.Hsv(rng.Uniform(0, 360), rng.Uniform(0, 0.6), rng.Uniform(0.1, 0.9)),
    };

    // Lighting that falls off across the image, a colour cast, sensor noise, then 8-bit quantisation.
    private static Image<Rgb24> Develop(float[] canvas, int width, int height, ref Rng rng)
    {
        double gain = rng.Uniform(0.7, 1.25), slope = rng.Uniform(0, 0.45), angle = rng.Uniform(0, 2 * Math.PI);
        double gx = slope * Math.Cos(angle) / width, gy = slope * Math.Sin(angle) / height;
        Span<double> cast = [rng.Uniform(0.9, 1.1), rng.Uniform(0.9, 1.1), rng.Uniform(0.9, 1.1)];
        double noise = rng.Uniform(0.01, 0.04);
        var pixels = new byte[canvas.Length];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double light = gain * (1 + gx * (x - width / 2.0) + gy * (y - height / 2.0));
                for (int c = 0; c < 3; c++)
                {
                    int i = 3 * (y * width + x) + c;
                    double value = canvas[i] * light * cast[c] + noise * rng.Normal();
                    pixels[i] = (byte)Math.Clamp(Math.Round(value * 255), 0, 255);
                }
            }
        return Image.LoadPixelData<Rgb24>(pixels, width, height);
    }
}
