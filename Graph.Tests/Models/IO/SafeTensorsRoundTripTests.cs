using System.Buffers.Binary;
using System.Text;
using AutoGrad.Models.IO;
using Xunit;

namespace AutoGrad.Tests.Models.IO;

public class SafeTensorsRoundTripTests
{
    private static NamedTensor[] Sample() =>
    [
        new("conv1.weight", [2, 1, 2, 2], [1, -2, 3.5f, 0, float.MaxValue, float.Epsilon, -0f, 1e-20f]),
        new("conv1.bias", [2], [0.25f, -0.75f]),
        new("step", [], [42]),
        new("empty", [0, 3], []),
        new("a.last", [3], [float.NaN, float.PositiveInfinity, float.NegativeInfinity]),
    ];

    [Fact]
    public void SaveThenLoad_KeepsNamesShapesValuesOrderAndMetadata()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        var metadata = new Dictionary<string, string> { ["format"] = "autograd", ["epoch"] = "3", ["note"] = "ünïcode, \"quoted\"" };
        SafeTensors.Save(path, Sample(), metadata);

        SafeTensorsFile loaded = SafeTensors.Load(path);
        Assert.Equal(Sample().Select(t => t.Name), loaded.Tensors.Select(t => t.Name));
        foreach (NamedTensor expected in Sample())
        {
            NamedTensor actual = loaded[expected.Name];
            Assert.Equal(expected.Shape, actual.Shape);
            // Compare bits so NaN, -0 and denormals must survive exactly.
            Assert.Equal(expected.Data.Select(BitConverter.SingleToInt32Bits), actual.Data.Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(metadata.OrderBy(p => p.Key), loaded.Metadata.OrderBy(p => p.Key));
        Assert.Equal(new[] { "model.safetensors" }, folder.FileNames());
    }

    [Fact]
    public void Save_IsByteIdenticalForIdenticalInput()
    {
        using var folder = new TempFolder();
        var forward = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3" };
        var backward = new Dictionary<string, string> { ["c"] = "3", ["b"] = "2", ["a"] = "1" };
        SafeTensors.Save(folder.File("1.safetensors"), Sample(), forward);
        SafeTensors.Save(folder.File("2.safetensors"), Sample(), backward);
        Assert.Equal(File.ReadAllBytes(folder.File("1.safetensors")), File.ReadAllBytes(folder.File("2.safetensors")));
    }

    [Fact]
    public void Save_WritesExactlyTheSpecifiedLayout()
    {
        using var folder = new TempFolder();
        string path = folder.File("tiny.safetensors");
        SafeTensors.Save(path, [new NamedTensor("w", [2], [1f, -2f])], new Dictionary<string, string> { ["k"] = "v" });

        string json = "{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        string padded = json.PadRight((json.Length + 7) / 8 * 8);
        byte[] expected = SafeTensorsBytes.Build(padded, SafeTensorsBytes.F32(1f, -2f));
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void Load_ReadsAHandWrittenFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("hand.safetensors");
        // Unpadded header, metadata last, tensors listed out of data order: all allowed by the format.
        string header = "{" + SafeTensorsBytes.Entry("b", "F32", [], 8, 12) + ", "
            + SafeTensorsBytes.Entry("a", "F32", [2, 1], 0, 8) + ", \"__metadata__\": {\"format\": \"pt\"}}";
        File.WriteAllBytes(path, SafeTensorsBytes.Build(header, SafeTensorsBytes.F32(1.5f, -3f, 7f)));

        SafeTensorsFile file = SafeTensors.Load(path);
        Assert.Equal(new[] { "b", "a" }, file.Tensors.Select(t => t.Name));
        Assert.Empty(file["b"].Shape);
        Assert.Equal(new[] { 7f }, file["b"].Data);
        Assert.Equal(new[] { 2, 1 }, file["a"].Shape);
        Assert.Equal(new[] { 1.5f, -3f }, file["a"].Data);
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void Load_ConvertsF64F16AndBF16ToFloat()
    {
        using var folder = new TempFolder();
        string path = folder.File("mixed.safetensors");
        var data = new byte[16 + 4 + 4];
        BinaryPrimitives.WriteDoubleLittleEndian(data, 0.1);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), -2.5);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(16), (Half)0.5f);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(18), (Half)(-65504f));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(20), 0x3FC0); // bfloat16 1.5
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(22), 0xC100); // bfloat16 -8
        string header = "{" + SafeTensorsBytes.Entry("d", "F64", [2], 0, 16) + ", "
            + SafeTensorsBytes.Entry("h", "F16", [2], 16, 20) + ", " + SafeTensorsBytes.Entry("b", "BF16", [2], 20, 24) + "}";
        File.WriteAllBytes(path, SafeTensorsBytes.Build(header, data));

        SafeTensorsFile file = SafeTensors.Load(path);
        Assert.Equal(new[] { 0.1f, -2.5f }, file["d"].Data);
        Assert.Equal(new[] { 0.5f, -65504f }, file["h"].Data);
        Assert.Equal(new[] { 1.5f, -8f }, file["b"].Data);
    }

    [Fact]
    public void Indexer_NamesFileAndTensorWhenMissing()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        SafeTensors.Save(path, Sample());
        SafeTensorsFile file = SafeTensors.Load(path);
        var error = Assert.Throws<AutoGradException>(() => file["fc.weight"]);
        Assert.Contains("m.safetensors", error.Message);
        Assert.Contains("fc.weight", error.Message);
        Assert.False(file.TryGet("fc.weight", out _));
        Assert.True(file.TryGet("step", out NamedTensor step));
        Assert.Equal(42f, step.Data[0]);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void LargeTensor_RoundTripsAcrossReadChunks()
    {
        using var folder = new TempFolder();
        string path = folder.File("big.safetensors");
        float[] values = Enumerable.Range(0, 100_003).Select(i => i * 0.5f).ToArray();
        SafeTensors.Save(path, [new NamedTensor("big", [100_003], values)]);
        Assert.Equal(values, SafeTensors.Load(path)["big"].Data);
        Assert.Equal(8 + 4 * 100_003 + BinaryPrimitives.ReadInt64LittleEndian(File.ReadAllBytes(path)), new FileInfo(path).Length);
        Assert.Equal(0, BinaryPrimitives.ReadInt64LittleEndian(File.ReadAllBytes(path)) % 8);
        Assert.StartsWith("{", Encoding.UTF8.GetString(File.ReadAllBytes(path), 8, 1));
    }
}
