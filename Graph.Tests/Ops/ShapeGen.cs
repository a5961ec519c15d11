namespace AutoGrad.Tests.Ops;

/// <summary>Random shapes for the registry: small, with size-1 and odd dimensions, and broadcastable pairs.</summary>
public static class ShapeGen
{
    /// <summary>Dimension sizes 1–5: includes size-1 and odd sizes.</summary>
    public static int Dim(Random r) => r.Next(1, 6);

    public static int[] Shape(Random r, int minRank = 1, int maxRank = 4) =>
        Enumerable.Range(0, r.Next(minRank, maxRank + 1)).Select(_ => Dim(r)).ToArray();

    /// <summary>A shape and a second one that broadcasts with it (leading dims dropped, some dims set to 1), in random order.</summary>
    public static int[][] BroadcastPair(Random r)
    {
        var full = Shape(r);
        var other = full[r.Next(full.Length + 1)..].Select(d => r.Next(3) == 0 ? 1 : d).ToArray();
        return r.Next(2) == 0 ? [full, other] : [other, full];
    }

    /// <summary>A random non-empty subset of the axes of <paramref name="shape"/>, or null (all axes).</summary>
    public static int[]? Axes(Random r, int[] shape)
    {
        if (r.Next(4) == 0) return null;
        var axes = Enumerable.Range(0, shape.Length).Where(_ => r.Next(2) == 0).ToList();
        if (axes.Count == 0) axes.Add(r.Next(shape.Length));
        return axes.Select(a => r.Next(2) == 0 ? a : a - shape.Length).ToArray();   // mix negative axes in
    }

    public static int[] Permutation(Random r, int rank)
    {
        var dims = Enumerable.Range(0, rank).ToArray();
        r.Shuffle(dims);
        return dims;
    }

    public static int[] Labels(Random r, int batch, int classes) => Enumerable.Range(0, batch).Select(_ => r.Next(classes)).ToArray();
}
