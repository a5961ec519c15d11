namespace AutoGrad.Tools.PhotoSet;

public enum Shape { Disk, Square, Triangle, Star, Cross }

public enum Hue { Red, Yellow, Green, Blue, Purple }

public enum Texture { Stripes, Dots }

/// <summary>
/// One of the 50 classes: every combination of 5 shapes × 5 colours × 2 textures. Each class has neighbours that
/// differ in exactly one of the three (red striped disk vs blue striped disk vs red dotted disk vs red striped star),
/// so no single cue separates the classes.
/// </summary>
public sealed record PhotoClass(int Label, Shape Shape, Hue Hue, Texture Texture)
{
    /// <summary>The folder name, e.g. "red-disk-stripes"; the loader takes class names from it.</summary>
    public string Name => $"{Hue.ToString().ToLowerInvariant()}-{Shape.ToString().ToLowerInvariant()}-{Texture.ToString().ToLowerInvariant()}";

    /// <summary>All 50 classes; the label is the index, ordered by shape, then colour, then texture.</summary>
    public static IReadOnlyList<PhotoClass> All { get; } =
        (from s in Enum.GetValues<Shape>()
         from h in Enum.GetValues<Hue>()
         from t in Enum.GetValues<Texture>()
         select (s, h, t)).Select((c, i) => new PhotoClass(i, c.s, c.h, c.t)).ToArray();

    /// <summary>Centre hue in degrees; each image jitters it by up to ±12°, so neighbouring colours never meet.</summary>
    public static double Degrees(Hue hue) => hue switch
    {
        Hue.Red => 0, Hue.Yellow => 55, Hue.Green => 125, Hue.Blue => 215, Hue.Purple => 285,
        _ => throw new ArgumentOutOfRangeException(nameof(hue)),
    };
}
