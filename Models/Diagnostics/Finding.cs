namespace AutoGrad.Models.Diagnostics;

/// <summary>How bad a finding is: an error stops a network from learning, a warning costs accuracy or trust, info is context.</summary>
public enum Severity { Error, Warning, Info }

/// <summary>
/// One diagnosis: a stable <see cref="Id"/> (e.g. <c>gradcheck-failed</c>), what is wrong, the numbers that
/// show it, and what to do. <see cref="Rank"/> orders findings of equal severity: lower is more likely a root cause.
/// </summary>
public sealed record Finding(string Id, Severity Severity, string Message, string Evidence, string Fix)
{
    public int Rank { get; init; } = 50;

    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()} {Id}: {Message} [{Evidence}] fix: {Fix}";
}
