using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AutoGrad.Models.IO;

/// <summary>
/// Reads and writes the safetensors checkpoint format: an 8-byte little-endian header length N, N bytes of
/// UTF-8 JSON (<c>{"__metadata__": {..}, "name": {"dtype", "shape", "data_offsets"}, ..}</c>, space-padded to a
/// multiple of 8), then the raw little-endian tensor bytes, with offsets relative to the end of the header.
/// </summary>
public static class SafeTensors
{
    /// <summary>Headers beyond this are refused on load (and so never written): real ones are kilobytes.</summary>
    internal const long MaxHeaderBytes = 100L * 1024 * 1024;

    private const int ChunkBytes = 1 << 16;

    /// <summary>
    /// Writes <paramref name="tensors"/> as F32 in the given order, atomically (see <see cref="AtomicFile"/>).
    /// Identical input gives byte-identical files: metadata keys are written in ordinal order.
    /// </summary>
    public static void Save(string path, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new AutoGradException("SafeTensors.Save: expected a file path, got an empty one");
        if (tensors is null)
            throw new AutoGradException($"{path}: SafeTensors.Save expected tensors, got null");
        List<NamedTensor> list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (NamedTensor tensor in list)
            CheckTensor(path, tensor, names);
        byte[] header = SafeTensorsHeaderWriter.Encode(path, list, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (NamedTensor tensor in list)
                WriteData(stream, tensor.Data);
        });
    }

    /// <summary>
    /// Loads every tensor of <paramref name="path"/> as float32 (F32, F64, F16 and BF16 are accepted). Any
    /// malformed, truncated or inconsistent file raises <see cref="AutoGradException"/> naming the file.
    /// </summary>
    public static SafeTensorsFile Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new AutoGradException("SafeTensors.Load: expected a file path, got an empty one");
        if (!File.Exists(path))
            throw new AutoGradException($"{path}: safetensors file not found");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes);
            long fileLength = stream.Length;
            if (fileLength < 8)
                throw new AutoGradException($"{path}: {fileLength} bytes is too short for a safetensors file (need an 8-byte header length)");
            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)Math.Min(MaxHeaderBytes, fileLength - 8))
                throw new AutoGradException(
                    $"{path}: header length {headerLength} exceeds the {fileLength - 8} bytes after it (or the {MaxHeaderBytes}-byte limit)");
            // Safe to allocate now: the length is bounded by both the file size and the limit.
            byte[] json = new byte[headerLength];
            stream.ReadExactly(json);
            long dataStart = 8 + (long)headerLength;
            var header = SafeTensorsHeader.Parse(path, json, fileLength - dataStart);
            var tensors = new List<NamedTensor>(header.Entries.Count);
            foreach (SafeTensorsEntry entry in header.Entries)
                tensors.Add(ReadTensor(stream, dataStart, entry));
            return new SafeTensorsFile(path, tensors, header.Metadata);
        }
        catch (EndOfStreamException)
        {
            throw new AutoGradException($"{path}: file ended early (was it changed while being read?)");
        }
        catch (IOException e)
        {
            throw new AutoGradException($"{path}: cannot read safetensors file ({e.GetType().Name})");
        }
        catch (UnauthorizedAccessException)
        {
            throw new AutoGradException($"{path}: no permission to read safetensors file");
        }
    }

    private static void CheckTensor(string path, NamedTensor tensor, HashSet<string> names)
    {
        if (tensor is null)
            throw new AutoGradException($"{path}: SafeTensors.Save got a null tensor");
        string where = $"{path}: tensor '{tensor.Name}'";
        if (string.IsNullOrEmpty(tensor.Name) || tensor.Name == "__metadata__")
            throw new AutoGradException($"{where}: expected a non-empty name other than __metadata__");
        if (!names.Add(tensor.Name))
            throw new AutoGradException($"{where}: name appears twice");
        if (tensor.Shape is null || tensor.Data is null)
            throw new AutoGradException($"{where}: shape and data must not be null");
        long count = 1;
        foreach (int dim in tensor.Shape)
        {
            if (dim < 0)
                throw new AutoGradException($"{where}: shape [{string.Join(", ", tensor.Shape)}] has a negative dimension");
            count = Math.Min(count * dim, long.MaxValue / int.MaxValue); // saturate: only equality with Data.Length matters
        }
        if (count != tensor.Data.Length)
            throw new AutoGradException(
                $"{where}: shape [{string.Join(", ", tensor.Shape)}] needs {count} elements but data has {tensor.Data.Length}");
    }

    private static void WriteData(Stream stream, float[] data)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
            return;
        }
        byte[] chunk = new byte[4];
        foreach (float value in data)
        {
            BinaryPrimitives.WriteSingleLittleEndian(chunk, value);
            stream.Write(chunk);
        }
    }

    private static NamedTensor ReadTensor(FileStream stream, long dataStart, SafeTensorsEntry entry)
    {
        int size = TensorDType.ElementSize(entry.DType);
        var data = new float[entry.Count];
        stream.Position = dataStart + entry.Begin;
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int perChunk = ChunkBytes / size;
            for (int done = 0; done < data.Length; done += perChunk)
            {
                int n = Math.Min(perChunk, data.Length - done);
                stream.ReadExactly(chunk, 0, n * size);
                TensorDType.Decode(entry.DType, chunk.AsSpan(0, n * size), data.AsSpan(done, n));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return new NamedTensor(entry.Name, entry.Shape, data);
    }
}
