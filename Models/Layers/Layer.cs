namespace AutoGrad.Models.Layers;

/// <summary>Per-call settings of a forward pass: training or evaluation mode, and the seeded RNG dropout draws from.</summary>
public sealed class ForwardContext(bool training, Random? rng = null)
{
    public bool Training { get; } = training;
    public Random Rng { get; } = rng ?? new Random(0);
}

/// <summary>
/// A named layer of a sequential model, built for a known per-sample input shape. Parameters are leaf
/// nodes named <c>&lt;layer&gt;.weight</c> / <c>&lt;layer&gt;.bias</c>; buffers are non-trained state
/// (BatchNorm running statistics) saved with checkpoints.
/// </summary>
public abstract class Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected Layer(string name, string type, int[] inputShape, int[] outputShape)
    {
        Name = name;
        Type = type;
        InputShape = inputShape;
        OutputShape = outputShape;
    }

    public string Name { get; }
    public string Type { get; }
    /// <summary>Per-sample input shape (no batch dimension).</summary>
    public int[] InputShape { get; }
    public int[] OutputShape { get; }
    public virtual IReadOnlyList<Node<T>> Parameters => [];
    public virtual IReadOnlyList<(string Name, Tensor<T> Value)> Buffers => [];
    /// <summary>Multiply-adds per sample in the forward pass.</summary>
    public virtual long MultiplyAdds => 0;
    /// <summary>
    /// Values per sample the forward pass keeps for backward: the output, plus any intermediate values of a
    /// composite layer (a residual block keeps each of its parts' outputs).
    /// </summary>
    public virtual long ActivationElements => Shapes.Size(OutputShape);

    public abstract Node<T> Forward(Node<T> x, ForwardContext context);

    public override string ToString() => $"{Name} ({Type}) {Shapes.Format(InputShape)} → {Shapes.Format(OutputShape)}";
}
