using System.Globalization;

namespace AutoGrad.Models.Diagnostics;

/// <summary>Turns a gradient audit into findings: one error per layer whose backward disagrees with its forward.</summary>
public static class AuditFindings
{
    public static IEnumerable<Finding> From(GradientAuditResult audit)
    {
        foreach (var layer in audit.Layers.Where(r => r.Status == AuditStatus.Fail).GroupBy(r => r.Node))
        {
            var rows = layer.ToList();
            string op = rows[0].Op;
            string inputs = string.Join(", ", rows.Select(r => r.Input));
            var ok = audit.Layers.Where(r => r.Node == layer.Key && r.Status == AuditStatus.Pass).Select(r => $"{r.Input} {E(r.RelativeError)} ok");
            string evidence = string.Join("; ", rows.Select(r => r.MissingGradient
                ? $"{r.Input}: backward returned no gradient, central difference {E(r.Numeric)}"
                : $"{r.Input}: ⟨VJP(u), v⟩ = {G(r.Analytic)} vs ⟨u, Jv⟩ ≈ {G(r.Numeric)} (relative error {E(r.RelativeError)})").Concat(ok));
            bool missing = rows.All(r => r.MissingGradient);
            yield return FindingCatalog.GradcheckFailed.Create(missing ? $"layer {layer.Key} ({op}) passes no gradient to {inputs}: they never learn"
                        : $"layer {layer.Key} ({op}): backward does not match forward for {inputs}",
                evidence,
                missing ? $"make {op}'s backward return (and the engine store) a gradient for {inputs}"
                        : $"fix {op}: its forward or its backward is wrong (the probe tests the layer alone, so the fault is inside it); see `autograd gradcheck`");
        }
        bool layersPass = audit.Layers.All(r => r.Passed);
        foreach (var r in audit.EndToEnd.Where(r => r.Status == AuditStatus.Fail))
            yield return (layersPass ? FindingCatalog.GradcheckEndToEnd : FindingCatalog.GradcheckEndToEndOnly).Create(
                $"dL/d{r.Input} from backprop disagrees with the loss's central difference",
                $"backprop {G(r.Analytic)} vs numeric {G(r.Numeric)} (relative error {E(r.RelativeError)})",
                layersPass ? "every layer passes alone, so the fault is in how gradients are combined (fan-in, accumulation, parameter sharing)"
                           : "follows from the layer failures above; fix those first");
        int kinks = audit.All.Count(r => r.Status == AuditStatus.Kink), redrawn = audit.All.Sum(r => r.Redraws);
        if (audit.Passed)
        {
            double worst = audit.All.Where(r => r.Status == AuditStatus.Pass).Select(r => r.RelativeError).DefaultIfEmpty(0).Max();
            yield return FindingCatalog.GradcheckPassed.Create($"every layer's backward matches its forward ({audit.Layers.Count} layer probes, {audit.EndToEnd.Count} parameters end to end)",
                $"worst relative error {E(worst)}; {redrawn} probes re-drawn after landing on kinks" + (kinks > 0 ? $", {kinks} left unjudged (always on a kink)" : ""),
                "nothing to fix");
        }
    }

    internal static string E(double v) => v.ToString("0.0e+0", CultureInfo.InvariantCulture);
    internal static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
