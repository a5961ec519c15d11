using System.Globalization;

namespace AutoGrad.Models.Training;

/// <summary>
/// Learning rate as a function of training progress (fractional epoch t). Forms: <c>constant</c>,
/// <c>step:EVERY:GAMMA</c> (×GAMMA every EVERY epochs), <c>cosine</c> (half cosine from base to 0 over
/// all epochs after the warm-up). A linear warm-up over the first W epochs may precede any of them; step counts
/// epochs from 0 including the warm-up (so step:5 decays at epoch 5 whatever the warm-up), cosine starts after it.
/// </summary>
public sealed record LearningRateSchedule(string Kind, double BaseRate, int Epochs, double WarmupEpochs = 0, int StepEvery = 0, double Gamma = 0.1)
{
    public double At(double epoch)
    {
        // Warm-up starts just above 0 (a zero rate would waste the first step) and never overshoots the base rate.
        if (WarmupEpochs > 0 && epoch < WarmupEpochs) return BaseRate * Math.Min(1, (epoch + 1e-3) / WarmupEpochs);
        return Kind switch
        {
            "step" => BaseRate * Math.Pow(Gamma, Math.Floor(epoch / StepEvery)),
            "cosine" => BaseRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp((epoch - WarmupEpochs) / Math.Max(1e-9, Epochs - WarmupEpochs), 0, 1))),
            _ => BaseRate,
        };
    }

    /// <summary>Parses a schedule: constant, cosine or step:EVERY[:GAMMA].</summary>
    public static LearningRateSchedule Parse(string text, double baseRate, int epochs, double warmup)
    {
        if (!(baseRate > 0) || !double.IsFinite(baseRate)) throw new AutoGradException($"`LearningRate` must be a positive number (got {baseRate.ToString(CultureInfo.InvariantCulture)})");
        if (warmup < 0 || warmup >= Math.Max(1, epochs) && warmup > 0) throw new AutoGradException($"`WarmupEpochs` must be in [0, `Epochs`) (got {warmup.ToString(CultureInfo.InvariantCulture)})");
        var parts = text.Split(':');
        switch (parts[0])
        {
            case "constant" when parts.Length == 1: return new("constant", baseRate, epochs, warmup);
            case "cosine" when parts.Length == 1: return new("cosine", baseRate, epochs, warmup);
            case "step" when parts.Length is 2 or 3
                && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int every) && every > 0:
                double gamma = 0.1;
                if (parts.Length == 3 && !(double.TryParse(parts[2], CultureInfo.InvariantCulture, out gamma) && gamma > 0 && gamma <= 1))
                    break;
                return new("step", baseRate, epochs, warmup, every, gamma);
        }
        throw new AutoGradException($"`Schedule`: expected constant, cosine or step:EVERY[:GAMMA] (e.g. step:5:0.1), got '{text}'");
    }
}
