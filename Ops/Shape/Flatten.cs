namespace AutoGrad.Ops;

/// <summary>
/// Collapses dimensions from <c>startDim</c> on into one: NCHW → [N, C·H·W], row-major over (C, H, W)
/// exactly as PyTorch's flatten, so Linear weights are interchangeable.
/// </summary>
[Op("flatten")]
public static class Flatten
{
    /// <summary>Records x with dimensions <paramref name="startDim"/> onward merged into one, with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x, int startDim = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int start = Shapes.Axis(startDim, x.Shape.Length);
        var shape = x.Shape[..start].Append(Shapes.Size(x.Shape.AsSpan(start))).ToArray();
        var inputShape = x.Shape;
        return Node<T>.FromOp("flatten", x.Value.Reshape(shape), [x], grad => [grad.Reshape(inputShape)]);
    }
}
