namespace AutoGrad;

/// <summary>
/// Optional per-node decoration for DOT export (used by health overlays): a fill colour and extra label
/// lines, keyed by node label.
/// </summary>
public sealed class DotStyle
{
    public Dictionary<string, string> FillColors { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> ExtraLabels { get; } = new(StringComparer.Ordinal);
}
