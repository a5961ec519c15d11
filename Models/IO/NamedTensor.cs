namespace AutoGrad.Models.IO;

/// <summary>
/// A named float32 tensor as stored in a checkpoint: <paramref name="Data"/> holds the elements in row-major
/// order, so its length is the product of <paramref name="Shape"/> (1 for a scalar, whose shape is empty).
/// </summary>
/// <param name="Name">Unique, non-empty name such as <c>"conv1.weight"</c>.</param>
/// <param name="Shape">Dimension sizes, outermost first; each at least 0.</param>
/// <param name="Data">Row-major elements.</param>
public sealed record NamedTensor(string Name, int[] Shape, float[] Data);
