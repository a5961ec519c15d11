using System.Buffers.Binary;
using System.Text;
using AutoGrad.Models.IO;
using Xunit;

namespace AutoGrad.Tests.Models.IO;

public class SafeTensorsMalformedTests
{
    private const string FileName = "bad.safetensors";

    private static string E(string name, string dtype, int[] shape, long begin, long end) =>
        SafeTensorsBytes.Entry(name, dtype, shape, begin, end);

    /// <summary>Header JSON, data-section length, and text the error must contain besides the file name.</summary>
    public static TheoryData<string, int, string> BadHeaders => new()
    {
        { "{\"w\": {\"dtype\": \"F32\"", 0, "not valid JSON" },
        { "[1, 2]", 0, "JSON object" },
        { "{" + E("w", "I64", [1], 0, 8) + "}", 8, "'I64'" },
        { "{" + E("w", "F32", [3], 0, 8) + "}", 8, "'w'" },
        { "{" + E("w", "F32", [4], 0, 16) + "}", 8, "'w'" },
        { "{" + E("w", "F32", [2], 0, 8) + ", " + E("v", "F32", [2], 4, 12) + "}", 12, "'v'" },
        { "{" + E("w", "F32", [1], 0, 4) + "}", 8, "cover only 4" },
        { "{" + E("w", "F32", [1], 4, 8) + "}", 8, "'w'" },
        { "{\"__metadata__\": {\"epoch\": 3}}", 0, "'epoch'" },
        { "{\"__metadata__\": \"x\"}", 0, "__metadata__" },
        { "{\"__metadata__\": null}", 0, "__metadata__" },
        { "{\"__metadata__\": {\"a\": \"1\", \"a\": \"2\"}}", 0, "'a'" },
        { "{" + E("w", "F32", [1], 0, 4) + ", " + E("w", "F32", [1], 4, 8) + "}", 8, "twice" },
        { "{" + E("w", "F32", [-1], 0, 4) + "}", 4, "shape[0]" },
        { "{\"w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", 4, "shape[0]" },
        { "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4, 8]}}", 8, "data_offsets" },
        { "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", 4, "data_offsets" },
        { "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}}", 4, "data_offsets" },
        { "{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "missing dtype" },
        { "{\"w\": {\"dtype\": 32, \"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "'w'" },
        { "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4], \"x\": 1}}", 4, "'x'" },
        { "{\"w\": {\"dtype\": \"F32\", \"shape\": [\"1\"], \"data_offsets\": [0, 4]}}", 4, "shape[0]" },
        { "{\"w\": {\"dtype\": \"F32\", \"shape\": 1, \"data_offsets\": [0, 4]}}", 4, "shape must be an array" },
        { "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, \"4\"]}}", 4, "data_offsets[1]" },
        { "{\"w\": 5}", 0, "'w'" },
        { "{" + E("", "F32", [1], 0, 4) + "}", 4, "empty name" },
        { "{" + E("w", "F32", [65536, 65536, 65536], 0, 4) + "}", 4, "too many" },
        { "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 99999999999999999999]}}", 4, "data_offsets[1]" },
        { "{\"__metadata__\": " + new string('[', 50) + new string(']', 50) + "}", 0, "not valid JSON" },
        { "", 0, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void Load_RejectsBadHeader(string header, int dataLength, string expected)
    {
        AssertRejected(SafeTensorsBytes.Build(header, new byte[dataLength]), expected);
    }

    [Fact]
    public void Load_RejectsFileShorterThanLengthField() => AssertRejected([1, 0, 0], "too short");

    [Theory]
    [InlineData(1000UL)]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 63)]
    public void Load_RejectsHeaderLengthBeyondFile(ulong length)
    {
        byte[] bytes = SafeTensorsBytes.Build("{}      ", []);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        AssertRejected(bytes, "exceeds");
    }

    [Fact]
    public void Load_RejectsAbsurdHeaderLengthEvenWhenTheFileIsThatBig()
    {
        using var folder = new TempFolder();
        string path = folder.File(FileName);
        using (var stream = File.Create(path))
        {
            var prefix = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, 150_000_000);
            stream.Write(prefix);
            stream.SetLength(200_000_000); // sparse on most file systems: cheap to make
        }
        var error = Assert.Throws<AutoGradException>(() => SafeTensors.Load(path));
        Assert.Contains("limit", error.Message);
    }

    [Fact]
    public void Load_RejectsInvalidUtf8() =>
        AssertRejected(SafeTensorsBytes.Build([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], []), "UTF-8");

    [Fact]
    public void Load_RejectsMissingFile()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<AutoGradException>(() => SafeTensors.Load(folder.File(FileName)));
        Assert.Contains(FileName, error.Message);
    }

    public static TheoryData<NamedTensor> BadTensors => new()
    {
        new NamedTensor("w", [2, 2], [1, 2, 3]),
        new NamedTensor("w", [-1], []),
        new NamedTensor("", [1], [1]),
        new NamedTensor("__metadata__", [1], [1]),
        new NamedTensor("w", null!, [1]),
    };

    [Theory]
    [MemberData(nameof(BadTensors))]
    public void Save_RejectsInvalidTensorAndWritesNothing(NamedTensor tensor)
    {
        using var folder = new TempFolder();
        string path = folder.File(FileName);
        var error = Assert.Throws<AutoGradException>(() => SafeTensors.Save(path, [new NamedTensor("ok", [1], [1]), tensor]));
        Assert.Contains(FileName, error.Message);
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public void Save_RejectsDuplicateNames()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<AutoGradException>(() =>
            SafeTensors.Save(folder.File(FileName), [new NamedTensor("w", [1], [1]), new NamedTensor("w", [1], [2])]));
        Assert.Contains("'w'", error.Message);
    }

    private static void AssertRejected(byte[] bytes, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.File(FileName);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<AutoGradException>(() => SafeTensors.Load(path));
        Assert.Contains(FileName, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
