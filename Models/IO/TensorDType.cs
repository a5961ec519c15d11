using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AutoGrad.Models.IO;

/// <summary>
/// The safetensors element types this loader reads, their sizes, and their conversion to float32.
/// Everything is little-endian on disk, whatever the machine.
/// </summary>
internal static class TensorDType
{
    /// <summary>The one type the writer emits.</summary>
    public const string F32 = "F32";

    /// <summary>Names accepted on load, for error messages.</summary>
    public const string Supported = "F32, F64, F16 or BF16";

    /// <summary>Bytes per element of <paramref name="dtype"/>, or 0 if it is not supported.</summary>
    public static int ElementSize(string dtype) => dtype switch
    {
        "F32" => 4,
        "F64" => 8,
        "F16" or "BF16" => 2,
        _ => 0,
    };

    /// <summary>Converts <paramref name="source"/> (whole elements of <paramref name="dtype"/>) into <paramref name="destination"/>.</summary>
    public static void Decode(string dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case "F32" when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(source[..(4 * destination.Length)]).CopyTo(destination);
                break;
            case "F32":
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(4 * i, 4));
                break;
            case "F64":
                // Narrowing loses precision beyond float32, which is what the model trains in anyway.
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source.Slice(8 * i, 8));
                break;
            case "F16":
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source.Slice(2 * i, 2));
                break;
            case "BF16":
                // bfloat16 is the upper half of a float32, so widening is a 16-bit shift.
                for (int i = 0; i < destination.Length; i++)
                {
                    uint bits = (uint)BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(2 * i, 2)) << 16;
                    destination[i] = BitConverter.UInt32BitsToSingle(bits);
                }
                break;
            default:
                throw new InvalidOperationException($"dtype {dtype} was not validated before decoding");
        }
    }
}
