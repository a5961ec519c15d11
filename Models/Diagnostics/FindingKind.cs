namespace AutoGrad.Models.Diagnostics;

/// <summary>
/// One row of <see cref="FindingCatalog"/>: a finding's stable id, its severity and its rank (its position in
/// the catalogue: lower is more likely a root cause). An id whose severity depends on the evidence has one row
/// per severity.
/// </summary>
public sealed record FindingKind(string Id, Severity Severity)
{
    public int Rank { get; internal set; } = -1;

    /// <summary>A finding of this kind: what is wrong, the numbers that show it, and what to do ("-" for nothing).</summary>
    public Finding Create(string message, string evidence, string fix) => new(this, message, evidence, fix);
}
