namespace AutoGrad.Models.Training;

/// <summary>
/// Where a training step stands in a run. Its dropout masks derive from (seed, epoch, batch) alone, so a
/// resumed run draws the same masks as an uninterrupted one and no random state needs saving.
/// </summary>
public readonly record struct StepPosition(int Seed, int Epoch, int Batch)
{
    /// <summary>The generator the step's forward pass draws its dropout masks from.</summary>
    public Random DropoutRng() => new(SeedMix.Combine(Seed, Epoch, Batch));
}
