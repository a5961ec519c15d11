namespace AutoGrad.Ops;

/// <summary>
/// Reorders dimensions: output dimension i is input dimension dims[i] (a copy, to stay contiguous).
/// ∂/∂x permutes the gradient by the inverse permutation. <see cref="Transpose{T}"/> swaps two dimensions.
/// </summary>
[Op("permute")]
public static class Permute
{
    /// <summary>Records x with its dimensions reordered as <paramref name="dims"/>, with its VJP (the inverse permutation).</summary>
    public static Node<T> Apply<T>(Node<T> x, params int[] dims) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rank = x.Shape.Length;
        if (dims.Length != rank) throw new AutoGradException($"permute of shape {Shapes.Format(x.Shape)} needs {rank} dimensions, got {dims.Length}");
        var perm = dims.Select(d => Shapes.Axis(d, rank)).ToArray();
        if (perm.Distinct().Count() != rank) throw new AutoGradException($"permute dimensions {Shapes.Format(dims)} are not a permutation");
        var inverse = new int[rank];
        for (int i = 0; i < rank; i++) inverse[perm[i]] = i;
        return Node<T>.FromOp("permute", Copy(x.Value, perm), [x], grad => [Copy(grad, inverse)],
            new Dictionary<string, string> { ["dims"] = Shapes.Format(perm) });
    }

    /// <summary>Records x with dimensions <paramref name="dim0"/> and <paramref name="dim1"/> swapped (the last two by default).</summary>
    public static Node<T> Transpose<T>(Node<T> x, int dim0 = -2, int dim1 = -1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dims = Enumerable.Range(0, x.Shape.Length).ToArray();
        int a = Shapes.Axis(dim0, dims.Length), b = Shapes.Axis(dim1, dims.Length);
        (dims[a], dims[b]) = (dims[b], dims[a]);
        return Apply(x, dims);
    }

    internal static Tensor<T> Copy<T>(Tensor<T> source, int[] perm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inStrides = Shapes.Strides(source.Shape);
        var outShape = perm.Select(p => source.Shape[p]).ToArray();
        var result = new Tensor<T>(outShape);
        // Walk the output row-major; the source offset follows the permuted strides.
        var strides = perm.Select(p => inStrides[p]).ToArray();
        var src = source.Data; var dst = result.Data;
        Unbroadcast.ForEachOffset(outShape, strides, (offset, srcOffset, run, step) =>
        {
            for (int i = 0; i < run; i++) dst[offset + i] = src[srcOffset + i * step];
        });
        return result;
    }
}
