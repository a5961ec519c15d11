using AutoGrad.Models.Layers;
using AutoGrad.Models.Training;

namespace AutoGrad.Models.Diagnostics;

/// <summary>The doctor's finding for a training step that met NaN or ±∞ (<see cref="NonFiniteException"/>).</summary>
internal static class NonFiniteFinding
{
    /// <summary>
    /// Names the first node whose value (forward) or gradient (backward) is NaN/Inf. For a gradient, re-runs the
    /// step's forward (same dropout masks) keeping interior gradients, and walks from the loss towards the inputs.
    /// </summary>
    public static Finding From(NonFiniteException e, Model<float> model, Tensor<float> images, int[] labels, DoctorOptions options, int step)
    {
        if (!e.InForward)
        {
            model.ZeroGrad();
            var again = options.LossFunction.Apply(model.Forward(Node<float>.Input(images), new ForwardContext(training: true, e.Position.DropoutRng())), labels);
            Autograd.Backward(again, retainGrads: true);
            var order = Autograd.TopologicalOrder(again);
            var first = Enumerable.Reverse(order).FirstOrDefault(n => n.Grad is not null && !n.Grad.AllFinite());
            string bad = e.Parameters[0];
            return FindingCatalog.NonFinite.Create($"the gradient becomes NaN/Inf at step {step}, first at node {first?.Label ?? bad} ({first?.Op ?? "parameter"})",
                $"loss {e.Loss:G6} is finite; {bad}'s gradient is not",
                $"the op's backward divides by zero or overflows there; lower `{nameof(DoctorOptions.LearningRate)}` or clip gradients (`{nameof(DoctorOptions.ClipNorm)}` 5)");
        }
        var culprit = e.FirstNode;
        string inputs = culprit is null ? "" : string.Join(", ", culprit.Parents.Select(p => $"{p.Label} max |v| {p.Value.Data.Max(v => Math.Abs(v)):G3}"));
        return FindingCatalog.NonFinite.Create($"the loss becomes {e.Loss} at step {step}; the first node to produce NaN/Inf is {culprit?.Label ?? "the loss"} ({culprit?.Op ?? "?"})",
            $"inputs of that node: {inputs}",
            $"lower `{nameof(DoctorOptions.LearningRate)}`, clip gradients (`{nameof(DoctorOptions.ClipNorm)}` 5), or fix the op's numerics (log of 0, exp overflow)");
    }
}
