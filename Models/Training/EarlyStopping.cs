namespace AutoGrad.Models.Training;

/// <summary>
/// The early-stopping rule: stop when the evaluated split's accuracy has not improved on its best for
/// <see cref="Patience"/> epochs. "Improved" is strictly greater (a tie is not progress), and the best is the
/// first epoch that reached it, which is the epoch <c>best.safetensors</c> holds. The rule reads only the
/// accuracies so far, so a resumed run decides exactly as an uninterrupted one would; no state is saved.
/// </summary>
public sealed record EarlyStopping(int Patience)
{
    /// <summary>The 0-based epoch with the best accuracy so far (the first of equals), or -1 for none.</summary>
    public static int BestEpoch(IReadOnlyList<double> accuracies)
    {
        int best = -1;
        for (int i = 0; i < accuracies.Count; i++)
            if (best < 0 || accuracies[i] > accuracies[best]) best = i;
        return best;
    }

    /// <summary>True when the last <see cref="Patience"/> epochs brought no improvement over the best before them.</summary>
    public bool ShouldStop(IReadOnlyList<double> accuracies)
    {
        if (Patience < 1) return false;
        int best = BestEpoch(accuracies);
        return best >= 0 && accuracies.Count - 1 - best >= Patience;
    }

    /// <summary>One line for the run folder: why training ended early.</summary>
    public string Reason(IReadOnlyList<double> accuracies)
    {
        int best = BestEpoch(accuracies);
        return $"early stop: accuracy has not improved for {Patience} epochs since epoch {best + 1} ({accuracies[best]:P2})";
    }
}
