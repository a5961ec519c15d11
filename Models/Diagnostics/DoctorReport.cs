using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AutoGrad.Models.Diagnostics;

/// <summary>
/// The outcome of a diagnosis: findings ranked (errors first, root causes before symptoms), the seconds
/// each part took, and the detailed results of the parts that ran.
/// </summary>
public sealed class DoctorReport
{
    public DoctorReport(IEnumerable<Finding> findings, IReadOnlyList<(string Part, double Seconds)> timings,
        GradientAuditResult? audit = null, TrainingHealthResult? health = null, SanityLadderResult? ladder = null)
    {
        Findings = findings.OrderBy(f => f.Severity).ThenBy(f => f.Rank).ToList();
        Timings = timings;
        Audit = audit;
        Health = health;
        Ladder = ladder;
    }

    public IReadOnlyList<Finding> Findings { get; }
    public IReadOnlyList<(string Part, double Seconds)> Timings { get; }
    public GradientAuditResult? Audit { get; }
    public TrainingHealthResult? Health { get; }
    public SanityLadderResult? Ladder { get; }
    /// <summary>Parts that were asked for but could not run (the data could not be loaded); not those skipped on request.</summary>
    public IReadOnlyList<string> NotRun { get; init; } = [];

    public IEnumerable<Finding> Errors => Findings.Where(f => f.Severity == Severity.Error);

    /// <summary>One line: healthy, or where to start.</summary>
    public string Verdict
    {
        get
        {
            int errors = Errors.Count(), warnings = Findings.Count(f => f.Severity == Severity.Warning);
            var top = Findings.Count > 0 ? Findings[0] : null;
            if (errors > 0) return $"will not learn properly: {errors} error(s), {warnings} warning(s); start with {top!.Id}: {top.Message}";
            if (warnings > 0) return $"trainable, with {warnings} warning(s); first: {top!.Id}: {top.Message}";
            return "healthy: no errors or warnings";
        }
    }

    public string TimingLine => string.Join(", ", Timings.Select(t => $"{t.Part} {t.Seconds:F1} s")) + $" (total {Timings.Sum(t => t.Seconds):F1} s)";

    /// <summary>{"findings": [{"id", "severity", "message", "evidence", "fix"}, …], "not_run": [part, …], "verdict": "…"}; timings are an info finding.</summary>
    public string ToJson()
    {
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, options))
        {
            w.WriteStartObject();
            w.WriteStartArray("findings");
            foreach (var f in Findings.Append(TimingFinding()))
            {
                w.WriteStartObject();
                w.WriteString("id", f.Id);
                w.WriteString("severity", f.Severity.ToString().ToLowerInvariant());
                w.WriteString("message", f.Message);
                w.WriteString("evidence", f.Evidence);
                w.WriteString("fix", f.Fix);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("not_run");
            foreach (string part in NotRun) w.WriteStringValue(part);
            w.WriteEndArray();
            w.WriteString("verdict", Verdict);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public Finding TimingFinding() => FindingCatalog.Timings.Create("seconds per part", TimingLine, "skip parts with `Skip`");

    /// <summary>Human-readable: one block per finding (severity, id, message, evidence, fix), then the verdict and timings.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var f in Findings)
        {
            sb.AppendLine($"{f.Severity.ToString().ToUpperInvariant(),-7} {f.Id}: {f.Message}");
            sb.AppendLine($"        evidence: {f.Evidence}");
            if (f.Fix != "-") sb.AppendLine($"        fix: {f.Fix}");
        }
        sb.AppendLine($"verdict: {Verdict}");
        sb.AppendLine($"timings: {TimingLine}");
        return sb.ToString();
    }

    /// <summary>The audit as a table: node, op, input, shape, relative error, status.</summary>
    public static string AuditTable(GradientAuditResult audit)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"node",-10} {"op",-22} {"input",-14} {"shape",-16} {"rel. error",10}  result");
        foreach (var r in audit.All)
            sb.AppendLine($"{r.Node,-10} {r.Op,-22} {r.Input,-14} {Shapes.Format(r.Shape),-16} {AuditFindings.E(r.RelativeError),10}  " +
                (r.Status switch { AuditStatus.Pass => "pass", AuditStatus.Kink => "kink (not judged)", _ => r.MissingGradient ? "FAIL (no gradient)" : "FAIL" }) +
                (r.Redraws > 0 ? $" ({r.Redraws} re-drawn)" : ""));
        return sb.ToString();
    }
}
