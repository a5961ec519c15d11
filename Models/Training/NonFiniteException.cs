namespace AutoGrad.Models.Training;

/// <summary>
/// A training step met NaN/Inf: in the forward pass (<see cref="FirstNode"/> produced it first) or in the
/// gradients of <see cref="Parameters"/>. The weights were not updated.
/// </summary>
public sealed class NonFiniteException : AutoGradException
{
    public NonFiniteException(string what, string fix, StepPosition position, double loss, Node<float>? firstNode, IReadOnlyList<string> parameters)
        : base($"{what}; {fix}")
    {
        What = what;
        Fix = fix;
        Position = position;
        Loss = loss;
        FirstNode = firstNode;
        Parameters = parameters;
    }

    /// <summary>What went wrong and where, without the fix.</summary>
    public string What { get; }
    /// <summary>The suggested fix.</summary>
    public string Fix { get; }
    public StepPosition Position { get; }
    /// <summary>The step's loss (NaN/Inf when the forward pass failed).</summary>
    public double Loss { get; }
    /// <summary>Forward failures: the first node, in data-flow order, whose value is not finite (null: the loss itself).</summary>
    public Node<float>? FirstNode { get; }
    /// <summary>Gradient failures: the parameters whose gradient is not finite (empty for forward failures).</summary>
    public IReadOnlyList<string> Parameters { get; }
    public bool InForward => Parameters.Count == 0;
}
