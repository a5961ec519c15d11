namespace AutoGrad.Ops;

/// <summary>Axis bookkeeping shared by the reductions: which axes, and the kept/dropped output shapes.</summary>
internal readonly record struct ReduceAxes(int[] KeptShape, int[] OutputShape, int Count, string Description)
{
    /// <summary><paramref name="axes"/> null or empty means all axes.</summary>
    public static ReduceAxes Of(int[] shape, int[]? axes, bool keepDims)
    {
        var reduce = new bool[shape.Length];
        if (axes is null || axes.Length == 0) Array.Fill(reduce, true);
        else foreach (int a in axes)
        {
            int axis = Shapes.Axis(a, shape.Length);
            if (reduce[axis]) throw new AutoGradException($"axis {a} listed twice for a reduction over shape {Shapes.Format(shape)}");
            reduce[axis] = true;
        }
        var kept = new int[shape.Length];
        var output = new List<int>();
        int count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            kept[i] = reduce[i] ? 1 : shape[i];
            if (reduce[i]) count *= shape[i];
            if (!reduce[i] || keepDims) output.Add(kept[i]);
        }
        string description = axes is null || axes.Length == 0 ? "all" : string.Join(",", axes);
        return new ReduceAxes(kept, output.ToArray(), count, description);
    }

    public Dictionary<string, string> Attributes(bool keepDims) => new() { ["axes"] = Description, ["keepdims"] = keepDims ? "true" : "false" };
}
