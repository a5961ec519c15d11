using System.Buffers.Binary;
using System.Text;

namespace AutoGrad.Tests.Models.IO;

/// <summary>Builds safetensors files byte by byte, independently of the writer under test.</summary>
public static class SafeTensorsBytes
{
    /// <summary>8-byte little-endian length of <paramref name="header"/>, the header's UTF-8 bytes, then <paramref name="data"/>.</summary>
    public static byte[] Build(string header, byte[] data) => Build(Encoding.UTF8.GetBytes(header), data);

    public static byte[] Build(byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    /// <summary>Little-endian float32 bytes of <paramref name="values"/>.</summary>
    public static byte[] F32(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    /// <summary>A header entry <c>"name": {"dtype": .., "shape": [..], "data_offsets": [begin, end]}</c>.</summary>
    public static string Entry(string name, string dtype, int[] shape, long begin, long end) =>
        $"\"{name}\": {{\"dtype\": \"{dtype}\", \"shape\": [{string.Join(", ", shape)}], \"data_offsets\": [{begin}, {end}]}}";
}
