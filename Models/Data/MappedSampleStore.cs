using System.Diagnostics;
using System.IO.MemoryMappedFiles;

namespace AutoGrad.Models.Data;

/// <summary>
/// Samples in a memory-mapped file: the set may be far larger than RAM and the OS page cache decides
/// what stays resident. The view pointer is acquired once so reads are plain span slices.
/// </summary>
internal sealed unsafe class MappedSampleStore : SampleStore
{
    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private byte* basePointer;

    private MappedSampleStore(MemoryMappedFile map, MemoryMappedViewAccessor view, int count, int sampleSize)
        : base(count, sampleSize)
    {
        this.map = map;
        this.view = view;
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        basePointer = p + view.PointerOffset;
    }

    /// <summary>The file's path, for logs and for the loader's completeness marker.</summary>
    public string? FilePath { get; private init; }

    /// <summary>True when the file is deleted on close, so it must never be marked reusable.</summary>
    public bool Temporary { get; private init; }

    /// <summary>Opens or creates <paramref name="path"/> sized exactly count × sampleSize bytes.</summary>
    public static MappedSampleStore Open(string path, int count, int sampleSize, bool deleteOnClose)
    {
        long length = (long)count * sampleSize;
        var options = deleteOnClose ? FileOptions.DeleteOnClose : FileOptions.None;
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AutoGradException($"cannot create sample cache file '{path}': {e.Message}", e);
        }
        try
        {
            if (stream.Length != length) stream.SetLength(length);
            var map = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.ReadWrite,
                HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
            return new MappedSampleStore(map, view, count, sampleSize) { FilePath = path, Temporary = deleteOnClose };
        }
        catch (IOException e)
        {
            stream.Dispose();
            throw new AutoGradException($"cannot map sample cache file '{path}' ({length} bytes): {e.Message}", e);
        }
    }

    public override Span<byte> Slot(int index)
    {
        Debug.Assert((uint)index < (uint)Count);
        ObjectDisposedException.ThrowIf(basePointer == null, this);
        return new Span<byte>(basePointer + (long)index * SampleSize, SampleSize);
    }

    public override void Flush() => view.Flush();

    public override void Dispose()
    {
        if (basePointer == null) return;
        basePointer = null;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
    }
}
