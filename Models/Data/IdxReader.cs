using System.Buffers.Binary;
using System.IO.Compression;

namespace AutoGrad.Models.Data;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST: a big-endian magic (0x00000803 for uint8 images of rank 3,
/// 0x00000801 for uint8 labels of rank 1), the dimensions as big-endian int32, then the bytes. Files may be
/// gzipped (detected by the 1f 8b magic, not the name). Every malformation is an error naming the file.
/// </summary>
internal static class IdxReader
{
    public const uint ImagesMagic = 0x00000803;
    public const uint LabelsMagic = 0x00000801;

    /// <summary>Largest accepted image side; anything bigger is a corrupt header, not an image set.</summary>
    public const int MaxDimension = 4096;

    /// <summary>The file's bytes, gunzipped when they start with the gzip magic.</summary>
    public static byte[] ReadAll(Stream stream, string name)
    {
        using var raw = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length - stream.Position, MaxPresize) : 0);
        stream.CopyTo(raw);
        byte[] bytes = Contents(raw);
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
        try
        {
            // Sized from the gzip trailer (ISIZE, the plain length mod 2³²), capped by deflate's best ratio, so
            // the 47 MB Fashion-MNIST images are not grown by doubling and copied again: loading peaked at ~700 MB.
            long hint = bytes.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)) : 0;
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream((int)Math.Min(hint, Math.Min(MaxPresize, 1032L * bytes.Length)));
            gzip.CopyTo(plain);
            return Contents(plain);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // IOException: the decompressed data outgrew a MemoryStream (2 GB), which no IDX set needs.
            throw new AutoGradException($"{name}: corrupt or oversized gzip data ({e.Message})", e);
        }
    }

    private const long MaxPresize = 1 << 30;

    /// <summary>The stream's bytes: its own buffer when exactly full (no copy), else a copy.</summary>
    private static byte[] Contents(MemoryStream stream)
        => stream.TryGetBuffer(out var buffer) && buffer.Offset == 0 && buffer.Count == buffer.Array!.Length ? buffer.Array : stream.ToArray();

    /// <summary>The file's bytes from disk (see <see cref="ReadAll(Stream, string)"/>).</summary>
    public static byte[] ReadAll(string path)
    {
        using var file = File.OpenRead(path);
        return ReadAll(file, path);
    }

    /// <summary>Parses an images file; the pixels are count × rows × cols bytes, row-major per image.</summary>
    public static (int Count, int Rows, int Cols, ReadOnlyMemory<byte> Pixels) ParseImages(byte[] data, string name)
    {
        int count = Header(data, name, ImagesMagic, "images (idx3)", 16);
        int rows = Dimension(data, 8, name, "rows");
        int cols = Dimension(data, 12, name, "columns");
        long expected = (long)count * rows * cols;
        CheckBody(data, 16, expected, name, $"{count} images of {rows}×{cols}");
        return (count, rows, cols, data.AsMemory(16));
    }

    /// <summary>Parses a labels file: one byte per sample.</summary>
    public static ReadOnlyMemory<byte> ParseLabels(byte[] data, string name)
    {
        int count = Header(data, name, LabelsMagic, "labels (idx1)", 8);
        CheckBody(data, 8, count, name, $"{count} labels");
        return data.AsMemory(8);
    }

    private static int Header(byte[] data, string name, uint magic, string kind, int headerSize)
    {
        if (data.Length < headerSize)
            throw new AutoGradException($"{name}: truncated IDX header ({data.Length} bytes, expected {headerSize})");
        uint actual = BinaryPrimitives.ReadUInt32BigEndian(data);
        if (actual != magic)
            throw new AutoGradException($"{name}: IDX magic 0x{actual:x8}, expected 0x{magic:x8} for {kind}");
        int count = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
        if (count <= 0) throw new AutoGradException($"{name}: IDX sample count {count}, expected at least 1");
        return count;
    }

    private static int Dimension(byte[] data, int offset, string name, string what)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(offset));
        if (value <= 0 || value > MaxDimension)
            throw new AutoGradException($"{name}: IDX {what} = {value}, expected 1..{MaxDimension}");
        return value;
    }

    private static void CheckBody(byte[] data, int headerSize, long expected, string name, string what)
    {
        long actual = data.Length - headerSize;
        if (actual < expected)
            throw new AutoGradException($"{name}: truncated IDX data: {actual} bytes after the header, expected {expected} for {what}");
        if (actual > expected)
            throw new AutoGradException($"{name}: {actual - expected} unexpected bytes after the {expected} expected for {what}");
    }
}
