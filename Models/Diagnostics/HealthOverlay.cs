using System.Globalization;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Training;

namespace AutoGrad.Models.Diagnostics;

/// <summary>
/// Colours a captured training graph by health: parameters that get no gradient red, layers that fail the
/// gradient audit pink, mostly dead ReLUs grey, and every other node by its gradient norm (yellow vanishing,
/// green healthy, orange exploding), with the norm and dead share written under each label.
/// </summary>
public static class HealthOverlay
{
    public const string NoGradient = "#e74c3c", AuditFailed = "#f1948a", Dead = "#bdc3c7", Vanishing = "#f9e79f", Healthy = "#abebc6", Exploding = "#f5b041";

    /// <remarks>Side effects on <paramref name="model"/>: forward passes in training mode move BatchNorm running
    /// statistics, and parameter gradients are zeroed and overwritten. Pass a copy (<c>model.Convert&lt;T&gt;()</c>) to
    /// keep a trained model untouched; <see cref="Doctor"/> always works on models it builds itself.</remarks>
    public static (CapturedGraph<float> Graph, DotStyle Style) Build(Model<float> model, Tensor<float> images, int[] labels, ILossFunction loss,
        GradientAuditResult? audit = null)
    {
        var stats = TrainingHealth.LayerStatistics(model, images).ToDictionary(s => s.Layer);
        model.ZeroGrad();
        var output = loss.Apply(model.Forward(Node<float>.Input(images, "images"), new ForwardContext(training: true, new Random(0))), labels);
        output.Name = "loss";
        Autograd.Backward(output, retainGrads: true);
        var graph = CapturedGraph<float>.FromOutputs(output);
        var failed = audit?.Layers.Where(r => r.Status == AuditStatus.Fail).Select(r => r.Node).ToHashSet() ?? [];
        var style = new DotStyle();
        foreach (var node in graph.Nodes.Where(n => n.Kind is NodeKind.Op or NodeKind.Parameter))
        {
            string key = node.Label;
            var lines = new List<string>();
            string? layer = node.Layer ?? node.Name?.Split('.')[0];
            if (node.Grad is null)
            {
                lines.Add("no gradient");
                style.FillColors[key] = node.Kind == NodeKind.Parameter ? NoGradient : Vanishing;
            }
            else
            {
                double norm = TrainingHealth.Norm(node.Grad.Data);
                lines.Add("‖g‖ " + norm.ToString("0.0e+0", CultureInfo.InvariantCulture));
                style.FillColors[key] = norm == 0 || norm < 1e-7 ? Vanishing : norm > 1e2 ? Exploding : Healthy;
            }
            if (node.Op == "relu" && layer is not null && stats.TryGetValue(layer, out var s))
            {
                lines.Add($"dead {s.DeadShare.ToString("P0", CultureInfo.InvariantCulture)}");
                if (s.DeadShare > 0.5) style.FillColors[key] = Dead;
            }
            if (layer is not null && failed.Contains(layer))
            {
                lines.Add("gradcheck FAIL");
                if (node.Kind == NodeKind.Op) style.FillColors[key] = AuditFailed;
            }
            style.ExtraLabels[key] = string.Join("\\n", lines);
        }
        model.ZeroGrad();
        return (graph, style);
    }
}
