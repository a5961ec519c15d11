using System.Globalization;
using System.Numerics;
using System.Text;

namespace AutoGrad;

/// <summary>
/// Writes a captured graph as Graphviz DOT: ops as boxes labelled with op name and output shape,
/// parameters as ellipses with name, shape and element count, inputs as parallelograms, edges in
/// data-flow order, and one cluster per layer. The backward option adds dashed red gradient edges
/// running against the data flow (only along edges that carry a gradient).
/// </summary>
internal static class DotWriter
{
    public static string Write<T>(CapturedGraph<T> graph, bool backward, DotStyle? style) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ids = graph.NodeIds();
        var sb = new StringBuilder();
        sb.AppendLine("digraph autograd {");
        sb.AppendLine("  rankdir=TB;");
        sb.AppendLine("  node [fontname=\"Helvetica\", fontsize=10];");
        sb.AppendLine("  edge [fontname=\"Helvetica\", fontsize=9];");
        foreach (var cluster in graph.Nodes.GroupBy(n => n.Layer).OrderBy(g => ids[g.First()]))
        {
            string indent = "  ";
            if (cluster.Key is not null)
            {
                sb.AppendLine($"  subgraph \"cluster_{Escape(cluster.Key)}\" {{");
                sb.AppendLine($"    label=\"{Escape(cluster.Key)}\"; style=rounded; color=\"#888888\";");
                indent = "    ";
            }
            foreach (var node in cluster) sb.Append(indent).AppendLine(NodeLine(node, ids[node], style));
            if (cluster.Key is not null) sb.AppendLine("  }");
        }
        foreach (var edge in graph.Edges)
            sb.AppendLine($"  n{ids[edge.From]} -> n{ids[edge.To]};");
        if (backward)
        {
            foreach (var edge in graph.Edges.Where(e => e.From.RequiresGrad && e.To.RequiresGrad).Reverse())
                sb.AppendLine($"  n{ids[edge.To]} -> n{ids[edge.From]} [style=dashed, color=\"#c0392b\", constraint=false, label=\"grad\"];");
        }
        sb.AppendLine("}");
        return sb.ToString();
    }

    private static string NodeLine<T>(Node<T> node, int id, DotStyle? style) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string shape = Shapes.Format(node.Shape);
        string label, attrs, fill;
        switch (node.Kind)
        {
            case NodeKind.Parameter:
                label = $"{node.Name ?? node.Label}\\n{shape}\\n{node.Value.Length.ToString("N0", CultureInfo.InvariantCulture)} values";
                attrs = "shape=ellipse, style=filled"; fill = "#d6eaf8";
                break;
            case NodeKind.Input:
            case NodeKind.Constant:
                label = $"{node.Name ?? node.Op}\\n{shape}";
                attrs = "shape=parallelogram, style=filled"; fill = "#eeeeee";
                break;
            default:
                var extra = node.Attributes is { Count: > 0 } a ? "\\n" + string.Join(" ", a.Select(kv => $"{kv.Key}={kv.Value}")) : "";
                label = $"{node.Op}\\n{shape}{extra}";
                attrs = "shape=box, style=\"rounded,filled\""; fill = "#fef9e7";
                break;
        }
        string key = node.Label;
        if (style is not null)
        {
            if (style.ExtraLabels.TryGetValue(key, out var more)) label += "\\n" + more;
            if (style.FillColors.TryGetValue(key, out var color)) fill = color;
        }
        return $"n{id} [label=\"{Escape(label)}\", {attrs}, fillcolor=\"{Escape(fill)}\"];";
    }

    // Escapes quotes only: the labels' "\n" sequences are DOT line breaks we put there on purpose.
    private static string Escape(string text) => text.Replace("\"", "\\\"", StringComparison.Ordinal);
}
