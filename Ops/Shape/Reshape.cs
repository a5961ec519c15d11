namespace AutoGrad.Ops;

/// <summary>Same elements, new shape (one dimension may be −1). A view: no copy. ∂/∂x is the gradient reshaped back.</summary>
[Op("reshape")]
public static class Reshape
{
    /// <summary>Records x viewed with <paramref name="shape"/> (one entry may be −1), with its VJP.</summary>
    public static Node<T> Apply<T>(Node<T> x, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inputShape = x.Shape;
        var output = x.Value.Reshape(shape);
        return Node<T>.FromOp("reshape", output, [x], grad => [grad.Reshape(inputShape)],
            new Dictionary<string, string> { ["shape"] = Shapes.Format(output.Shape) });
    }
}
