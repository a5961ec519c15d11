using System.Diagnostics;

namespace AutoGrad.Models.Data;

/// <summary>Samples held in managed arrays, split into chunks so a set may exceed the 2 GB array limit.</summary>
internal sealed class InMemorySampleStore : SampleStore
{
    // 256 MiB chunks: large enough to keep the chunk table tiny, small enough for the LOH to place easily.
    private const int ChunkBytes = 1 << 28;

    private readonly byte[][] chunks;
    private readonly int perChunk;

    public InMemorySampleStore(int count, int sampleSize) : base(count, sampleSize)
    {
        perChunk = Math.Max(1, Math.Min(count, ChunkBytes / sampleSize));
        int chunkCount = (count + perChunk - 1) / perChunk;
        chunks = new byte[chunkCount][];
        for (int c = 0; c < chunkCount; c++)
            chunks[c] = new byte[Math.Min(perChunk, count - c * perChunk) * sampleSize];
    }

    /// <summary>Wraps <paramref name="pixels"/> (count × sampleSize bytes) without copying.</summary>
    public InMemorySampleStore(byte[] pixels, int count, int sampleSize) : base(count, sampleSize)
    {
        Debug.Assert(pixels.Length == (long)count * sampleSize);
        perChunk = count;
        chunks = [pixels];
    }

    public override Span<byte> Slot(int index)
    {
        Debug.Assert((uint)index < (uint)Count);
        return chunks[index / perChunk].AsSpan(index % perChunk * SampleSize, SampleSize);
    }

    public override void Dispose() { }
}
