namespace AutoGrad.Models.Training;

/// <summary>
/// The NaN/Inf guard of <see cref="TrainingStep"/>: names the first node (in data-flow order) whose value is not
/// finite, or the parameters whose gradient is not, and suggests a fix. The trainer stops on it (the last
/// checkpoint is kept); the doctor turns it into a finding.
/// </summary>
public static class NonFinite
{
    public static NonFiniteException InForward(Node<float> loss, StepPosition position, double learningRate)
    {
        var first = Autograd.FirstNonFinite(loss);
        string where = first is null ? "the loss" : $"node {first.Label} ({first.Op}{(first.Layer is null ? "" : $" in layer {first.Layer}")}, shape {Shapes.Format(first.Shape)})";
        string fix = first?.Kind == NodeKind.Input
            ? "the input batch itself holds NaN/Inf: check the data"
            : $"lower `{nameof(TrainOptions.LearningRate)}` (now {learningRate:G3}), clip gradients (`{nameof(TrainOptions.ClipNorm)}` 5), or check the data normalisation";
        return new NonFiniteException($"{At(position)}: non-finite value first produced by {where}", fix, position, loss.Value.ToScalar(), first, []);
    }

    /// <summary>Throws when a parameter's gradient holds NaN/Inf.</summary>
    public static void CheckGradients(IEnumerable<Node<float>> parameters, double loss, StepPosition position, double learningRate)
    {
        var bad = parameters.Where(p => p.Grad is not null && !p.Grad.AllFinite()).Select(p => p.Name ?? p.Label).ToList();
        if (bad.Count > 0)
            throw new NonFiniteException($"{At(position)}: non-finite gradient for {string.Join(", ", bad.Take(5))}",
                $"lower `{nameof(TrainOptions.LearningRate)}` (now {learningRate:G3}) or clip gradients (`{nameof(TrainOptions.ClipNorm)}` 5)", position, loss, null, bad);
    }

    private static string At(StepPosition p) => $"epoch {p.Epoch + 1}, batch {p.Batch + 1}";
}
