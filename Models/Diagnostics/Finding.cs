namespace AutoGrad.Models.Diagnostics;

/// <summary>How bad a finding is: an error stops a network from learning, a warning costs accuracy or trust, info is context.</summary>
public enum Severity { Error, Warning, Info }

/// <summary>
/// One diagnosis: its <see cref="Kind"/> from <see cref="FindingCatalog"/> (a stable <see cref="Id"/> such as
/// <c>gradcheck-failed</c>, the severity and the rank), what is wrong, the numbers that show it, and what to do.
/// Made only through <see cref="FindingKind.Create"/>, so every finding's severity and rank come from the one table.
/// </summary>
public sealed record Finding
{
    internal Finding(FindingKind kind, string message, string evidence, string fix)
    {
        Kind = kind;
        Message = message;
        Evidence = evidence;
        Fix = fix;
    }

    public FindingKind Kind { get; }
    public string Id => Kind.Id;
    public Severity Severity => Kind.Severity;
    /// <summary>Orders findings of equal severity: lower is more likely a root cause.</summary>
    public int Rank => Kind.Rank;
    public string Message { get; }
    public string Evidence { get; }
    public string Fix { get; }

    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()} {Id}: {Message} [{Evidence}] fix: {Fix}";
}
