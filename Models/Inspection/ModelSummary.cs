using System.Globalization;
using System.Text;

namespace AutoGrad.Models.Inspection;

/// <summary>One row of a model summary.</summary>
public sealed record LayerSummary(string Name, string Type, int[] OutputShape, long Parameters, long MultiplyAdds, long ActivationBytes);

/// <summary>
/// Per-layer output shape, parameter count, multiply-adds and activation memory (float32, per sample),
/// computed from the built layers without running data.
/// </summary>
public static class ModelSummary
{
    public static IReadOnlyList<LayerSummary> Rows<T>(Model<T> model) where T : unmanaged, IFloatingPointIeee754<T> =>
        model.Layers.Select(l => new LayerSummary(l.Name, l.Type, l.OutputShape, l.Parameters.Sum(p => (long)p.Value.Length),
            l.MultiplyAdds, l.ActivationElements * 4L)).ToList();

    public static string Format<T>(Model<T> model, int batch = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = Rows(model);
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine(ci, $"model {model.Spec.Name}: input {Shapes.Format(model.InputShape)}, {model.Classes} classes");
        sb.AppendLine(ci, $"{"layer",-12} {"type",-18} {"output",-16} {"params",12} {"mult-adds",15} {"activations",12}");
        foreach (var r in rows)
            sb.AppendLine(ci, $"{r.Name,-12} {r.Type,-18} {Shapes.Format(r.OutputShape),-16} {r.Parameters,12:N0} {r.MultiplyAdds * batch,15:N0} {Bytes(r.ActivationBytes * batch),12}");
        long parameters = rows.Sum(r => r.Parameters), macs = rows.Sum(r => r.MultiplyAdds) * batch, act = rows.Sum(r => r.ActivationBytes) * batch;
        sb.AppendLine(ci, $"{"total",-12} {"",-18} {"",-16} {parameters,12:N0} {macs,15:N0} {Bytes(act),12}");
        sb.AppendLine(ci, $"parameters: {parameters:N0} ({Bytes(parameters * 4)} as float32); forward multiply-adds per {(batch == 1 ? "image" : $"batch of {batch}")}: {macs:N0}; activations: {Bytes(act)}");
        return sb.ToString();
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
