using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Diagnostics;

/// <summary>Finds the first node whose value (forward) or gradient (backward) is NaN or ±∞.</summary>
internal static class NonFinite
{
    /// <summary>Null while the step's loss and gradients are finite; otherwise an error naming the first bad node.</summary>
    public static Finding? Find(Model<float> model, Node<float> loss, Tensor<float> images, int[] labels, DoctorOptions options, int step)
    {
        if (double.IsFinite(loss.Value.ToScalar()))
        {
            var bad = model.Parameters.FirstOrDefault(p => p.Grad is not null && !p.Grad.AllFinite());
            if (bad is null) return null;
            // Re-run the step's forward keeping interior gradients, and walk from the loss towards the inputs.
            model.ZeroGrad();
            var again = options.LossFunction.Apply(model.Forward(Node<float>.Input(images), new ForwardContext(training: true, new Random(0))), labels);
            Autograd.Backward(again, retainGrads: true);
            var order = Autograd.TopologicalOrder(again);
            var first = Enumerable.Reverse(order).FirstOrDefault(n => n.Grad is not null && !n.Grad.AllFinite());
            return FindingCatalog.NonFinite.Create($"the gradient becomes NaN/Inf at step {step}, first at node {first?.Label ?? bad.Name} ({first?.Op ?? "parameter"})",
                $"loss {loss.Value.ToScalar():G6} is finite; {bad.Name}'s gradient is not",
                "the op's backward divides by zero or overflows there; lower --lr or add --clip 5");
        }
        var culprit = Autograd.FirstNonFinite(loss);
        string inputs = culprit is null ? "" : string.Join(", ", culprit.Parents.Select(p => $"{p.Label} max |v| {p.Value.Data.Max(v => Math.Abs(v)):G3}"));
        return FindingCatalog.NonFinite.Create($"the loss becomes {loss.Value.ToScalar()} at step {step}; the first node to produce NaN/Inf is {culprit?.Label ?? "the loss"} ({culprit?.Op ?? "?"})",
            $"inputs of that node: {inputs}",
            "lower --lr, add --clip 5, or fix the op's numerics (log of 0, exp overflow)");
    }
}
