namespace AutoGrad.Models.Training;

/// <summary>
/// The NaN/Inf guard: names the first node (in data-flow order) whose value is not finite, or the
/// parameters whose gradient is not, and suggests a fix. Training stops; the last checkpoint is kept.
/// </summary>
public static class NonFinite
{
    public static AutoGradException InForward(Node<float> loss, int epoch, int batch, double lr)
    {
        var first = Autograd.FirstNonFinite(loss);
        string where = first is null ? "the loss" : $"node {first.Label} ({first.Op}{(first.Layer is null ? "" : $" in layer {first.Layer}")}, shape {Shapes.Format(first.Shape)})";
        string fix = first?.Kind == NodeKind.Input
            ? "the input batch itself holds NaN/Inf: check the data"
            : $"lower --lr (now {lr:G3}), add --clip 5, or check the data normalisation";
        return new AutoGradException($"epoch {epoch + 1}, batch {batch + 1}: non-finite value first produced by {where}; training stopped, last checkpoint kept; {fix}");
    }

    public static void CheckGradients(IEnumerable<Node<float>> parameters, int epoch, int batch, double lr)
    {
        var bad = parameters.Where(p => p.Grad is not null && !p.Grad.AllFinite()).Select(p => p.Name).ToList();
        if (bad.Count > 0)
            throw new AutoGradException($"epoch {epoch + 1}, batch {batch + 1}: non-finite gradient for {string.Join(", ", bad.Take(5))}; training stopped, last checkpoint kept; lower --lr (now {lr:G3}) or add --clip 5");
    }
}
