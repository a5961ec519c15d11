namespace AutoGrad.Models.Data;

/// <summary>A view of some records of another store (the good samples when bad images are skipped).</summary>
internal sealed class SubsetSampleStore(SampleStore inner, int[] indices) : SampleStore(indices.Length, inner.SampleSize)
{
    public override Span<byte> Slot(int index) => inner.Slot(indices[index]);

    public override void Dispose() => inner.Dispose();
}
