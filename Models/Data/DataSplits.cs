namespace AutoGrad.Models.Data;

/// <summary>
/// The splits of one dataset, all with the same classes and sample shape. <see cref="Validation"/> is null
/// when the source has none. Disposing releases any memory-mapped sample files.
/// </summary>
public sealed record DataSplits(ImageDataset Train, ImageDataset? Validation, ImageDataset Test) : IDisposable
{
    /// <summary>Disposes every split.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
        Test.Dispose();
    }
}
