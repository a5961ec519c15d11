using System.Diagnostics;

namespace AutoGrad.Models.Data;

/// <summary>
/// Fixed-size byte records, one per sample, filled once by a loader and then only read. Small sets live
/// in memory; sets over the memory budget live in a memory-mapped file so the OS pages them in and out.
/// </summary>
internal abstract class SampleStore : IDisposable
{
    protected SampleStore(int count, int sampleSize)
    {
        Debug.Assert(count > 0 && sampleSize > 0);
        Count = count;
        SampleSize = sampleSize;
    }

    public int Count { get; }

    public int SampleSize { get; }

    /// <summary>Total bytes held, as a long: large sets exceed <see cref="int.MaxValue"/>.</summary>
    public long TotalBytes => (long)Count * SampleSize;

    /// <summary>The record of sample <paramref name="index"/>; writable only while the loader fills it.</summary>
    public abstract Span<byte> Slot(int index);

    /// <summary>Makes written records durable (a no-op in memory).</summary>
    public virtual void Flush() { }

    public abstract void Dispose();

    /// <summary>
    /// In memory when <paramref name="count"/> × <paramref name="sampleSize"/> fits <paramref name="memoryBudget"/>;
    /// otherwise a mapped file at <paramref name="cacheFile"/>, or a temporary file deleted on close when that is null.
    /// </summary>
    public static SampleStore Create(int count, int sampleSize, long memoryBudget, string? cacheFile)
    {
        if ((long)count * sampleSize <= memoryBudget) return new InMemorySampleStore(count, sampleSize);
        if (cacheFile is null)
        {
            string temp = Path.Combine(Path.GetTempPath(), $"autograd-samples-{Guid.NewGuid():N}.u8");
            return MappedSampleStore.Open(temp, count, sampleSize, deleteOnClose: true);
        }
        return MappedSampleStore.Open(cacheFile, count, sampleSize, deleteOnClose: false);
    }
}
