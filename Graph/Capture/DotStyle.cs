namespace AutoGrad;

/// <summary>
/// Optional per-node decoration for DOT export (used by health overlays): a fill colour and extra label
/// lines, keyed by node label.
/// </summary>
public sealed class DotStyle
{
    /// <summary>Node label → Graphviz fill colour (e.g. <c>#f4cccc</c>).</summary>
    public Dictionary<string, string> FillColors { get; } = new(StringComparer.Ordinal);
    /// <summary>Node label → extra text appended to the node's label.</summary>
    public Dictionary<string, string> ExtraLabels { get; } = new(StringComparer.Ordinal);
}
