namespace AutoGrad.Models.Diagnostics;

/// <summary>Outcome of one probe: agreed, disagreed, or kept landing on a kink (ReLU at 0, max-pool tie) and was not judged.</summary>
public enum AuditStatus { Pass, Fail, Kink }

/// <summary>
/// One row of the gradient audit: a layer (or <c>loss</c>, or <c>model</c> for end-to-end rows), the ops it ran,
/// the input probed (<c>x</c> or a parameter), its shape, the relative error of the probe, and how many
/// probes were re-drawn because they crossed a kink.
/// </summary>
public sealed record AuditRow(string Node, string Op, string Input, int[] Shape, double Analytic, double Numeric,
    double RelativeError, AuditStatus Status, int Redraws, bool MissingGradient)
{
    public bool Passed => Status != AuditStatus.Fail;
}
