namespace AutoGrad.Models.Training;

/// <summary>
/// Where a training step stands in a run. Its dropout masks derive from (seed, epoch, batch) alone, so a
/// resumed run draws the same masks as an uninterrupted one and no random state needs saving. A data-parallel
/// rank adds its <paramref name="Rank"/>, so the ranks draw distinct masks for their slices of the batch.
/// </summary>
public readonly record struct StepPosition(int Seed, int Epoch, int Batch, int? Rank = null)
{
    /// <summary>The generator the step's forward pass draws its dropout masks from.</summary>
    public Random DropoutRng() => new(Rank is { } rank ? SeedMix.Combine(Seed, Epoch, Batch, rank) : SeedMix.Combine(Seed, Epoch, Batch));
}
