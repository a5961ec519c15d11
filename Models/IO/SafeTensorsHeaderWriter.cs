using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AutoGrad.Models.IO;

/// <summary>
/// Builds the JSON header of a safetensors file deterministically: metadata keys in ordinal order, tensors in the
/// caller's order with contiguous F32 offsets, padded with spaces to a multiple of 8 bytes.
/// </summary>
internal static class SafeTensorsHeaderWriter
{
    /// <summary>Returns the padded header bytes for <paramref name="tensors"/>, already validated by the caller.</summary>
    public static byte[] Encode(string path, List<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps non-ASCII names readable; the header is never embedded in HTML.
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        try
        {
            using (var json = new Utf8JsonWriter(buffer, options))
            {
                json.WriteStartObject();
                if (metadata is { Count: > 0 })
                {
                    json.WriteStartObject("__metadata__");
                    foreach (var pair in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                        json.WriteString(pair.Key, pair.Value ?? throw new AutoGradException($"{path}: metadata '{pair.Key}' is null"));
                    json.WriteEndObject();
                }
                long offset = 0;
                foreach (NamedTensor tensor in tensors)
                {
                    json.WriteStartObject(tensor.Name);
                    json.WriteString("dtype", TensorDType.F32);
                    json.WriteStartArray("shape");
                    foreach (int dim in tensor.Shape)
                        json.WriteNumberValue(dim);
                    json.WriteEndArray();
                    json.WriteStartArray("data_offsets");
                    json.WriteNumberValue(offset);
                    json.WriteNumberValue(offset += 4L * tensor.Data.Length);
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
        }
        catch (ArgumentException)
        {
            throw new AutoGradException($"{path}: a tensor name or metadata entry is not valid Unicode text");
        }
        // Padding to a multiple of 8 keeps the data section 8-byte aligned for memory-mapping readers.
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        if (padded > SafeTensors.MaxHeaderBytes)
            throw new AutoGradException($"{path}: header would be {padded} bytes, over the {SafeTensors.MaxHeaderBytes}-byte limit");
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }
}
