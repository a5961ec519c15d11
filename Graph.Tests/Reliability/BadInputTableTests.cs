using System.Buffers.Binary;
using System.Text;
using AutoGrad.Tests.Models.Data;
using AutoGrad.Tests.Models.IO;
using SixLabors.ImageSharp.PixelFormats;
using CliRunner = AutoGrad.Tests.Cli.Cli;

namespace AutoGrad.Tests.Reliability;

/// <summary>
/// One row per input boundary: the CLI exits non-zero, its last stderr line is a one-line "error: …" naming
/// the file (line, layer or tensor) and what was expected, no stack trace is printed, and no run folder is
/// left behind.
/// </summary>
public class BadInputTableTests : IDisposable
{
    private readonly DataFixtures f = new();

    public void Dispose() => f.Dispose();

    public static TheoryData<string> Rows() => new(Cases.Keys);

    private static readonly Dictionary<string, Func<DataFixtures, (string[] Args, string[] Fragments)>> Cases = new()
    {
        ["corrupt jpeg"] = f => Folder(f, "bad.jpg", bytes => bytes[..(bytes.Length / 3)], "bad.jpg", "could not be decoded"),
        ["zero-byte png"] = f => Folder(f, "empty.png", _ => [], "empty.png", "could not be decoded"),
        ["not an image"] = f => Folder(f, "notes.jpg", _ => Encoding.UTF8.GetBytes("hello, not a picture"), "notes.jpg", "could not be decoded"),
        ["huge declared png"] = f => Folder(f, "bomb.png", HugePng, "bomb.png", "pixel limit"),
        ["list malformed line"] = f => List(f, "images/n01/a.JPEG 0\nimages/n01/a.JPEG\n", "train.txt:2", "malformed"),
        ["list negative label"] = f => List(f, "images/n01/a.JPEG -1\n", "train.txt:1", "label"),
        ["list missing file"] = f => List(f, "images/n01/gone.JPEG 0\n", "train.txt:1", "not found"),
        ["list escaping path"] = f => List(f, "../outside.JPEG 0\n", "train.txt:1", ".."),
        ["list empty split"] = f => List(f, "\n", "train.txt", "no samples"),
        ["idx bad magic"] = f => Idx(f, images => { images[3] = 0x99; return images; }, "train-images-idx3-ubyte", "magic"),
        ["idx truncated"] = f => Idx(f, images => images[..200], "train-images-idx3-ubyte", "truncated"),
        ["spec malformed json"] = f => Spec(f, "{\"name\": \"x\", \"input\": [1, 28, 28], \"layers\": [", "spec.json", "not valid JSON"),
        ["spec unknown layer"] = f => Spec(f, "{\"input\": [1, 28, 28], \"layers\": [{\"type\": \"convolution\"}]}", "layer 1", "unknown layer type"),
        ["spec shape mismatch"] = f => Spec(f, "{\"input\": [1, 28, 28], \"layers\": [{\"type\": \"linear\", \"out\": \"classes\"}]}", "fc1", "flatten"),
        ["checkpoint header beyond file"] = f => Checkpoint(f, BitConverter.GetBytes(1_000_000L).Concat(Encoding.UTF8.GetBytes("{}")).ToArray(), "model.safetensors", "header"),
        ["checkpoint malformed header"] = f => Checkpoint(f, SafeTensorsBytes.Build("{\"a\": [", []), "model.safetensors", "JSON"),
        ["checkpoint unknown dtype"] = f => Checkpoint(f, SafeTensorsBytes.Build("{\"w\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "model.safetensors", "Q7"),
        ["checkpoint without metadata"] = f => Checkpoint(f, SafeTensorsBytes.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "model.safetensors", "metadata"),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void BadInputFailsCleanlyWithoutLeavingOutput(string row)
    {
        var (args, fragments) = Cases[row](f);
        string output = f.PathOf("run-out");
        var r = CliRunner.Run(args.Contains("train") ? [.. args, "--out", output] : args);
        Assert.NotEqual(0, r.ExitCode);
        string last = r.Error.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("error: ", last);
        foreach (var fragment in fragments) Assert.Contains(fragment, last);
        Assert.DoesNotContain("   at ", r.Error);
        Assert.False(Directory.Exists(output), $"{row}: left {output} behind");
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void SkipModeTrainsOnTheGoodImagesAndSaysHowManyWereSkipped()
    {
        var (args, _) = Folder(f, "bad.jpg", bytes => bytes[..10], "", "");
        var r = CliRunner.Run([.. args, "--on-bad-image", "skip", "--out", f.PathOf("skip-run")]);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("skipped 1 images that could not be decoded (train 1, test 0)", r.Output);
        Assert.True(File.Exists(Path.Combine(f.PathOf("skip-run"), "last.safetensors")));
    }

    private static string[] Train(string data, string model = "lenet5") => ["train", "--data", data, "--model", model, "--epochs", "1", "--batch", "4", "--threads", "1"];

    /// <summary>A class-folder data set with two good images per class and one bad file in train/a.</summary>
    private static (string[], string[]) Folder(DataFixtures f, string badName, Func<byte[], byte[]> corrupt, params string[] fragments)
    {
        foreach (var split in new[] { "train", "test" })
            foreach (var c in new[] { "a", "b" })
                for (int i = 0; i < 2; i++) f.WriteSolid($"folders/{split}/{c}/{i}.png", 8, 8, new Rgb24((byte)(c == "a" ? 30 : 220), 0, 0));
        string good = f.WriteSolid("seed.jpg", 8, 8, new Rgb24(1, 2, 3));
        var bytes = corrupt(File.ReadAllBytes(good));
        File.WriteAllBytes(f.PathOf($"folders/train/a/{badName}"), bytes);
        return (Train(f.PathOf("folders")), fragments);
    }

    private static (string[], string[]) List(DataFixtures f, string trainList, params string[] fragments)
    {
        f.WriteSolid("list/images/n01/a.JPEG", 8, 8, new Rgb24(1, 2, 3));
        f.WriteSolid("list/images/n02/b.JPEG", 8, 8, new Rgb24(3, 2, 1));
        f.WriteText("list/train.txt", trainList);
        f.WriteText("list/test.txt", "images/n01/a.JPEG 0\nimages/n02/b.JPEG 1\n");
        return (Train(f.PathOf("list")), fragments);
    }

    private static (string[], string[]) Idx(DataFixtures f, Func<byte[], byte[]> corrupt, params string[] fragments)
    {
        var images = Enumerable.Range(0, 4).Select(i => new byte[28 * 28]).ToArray();
        f.WriteIdx("idx", "train", images, 28, 28, [0, 1, 0, 1], gzip: false);
        f.WriteIdx("idx", "t10k", images, 28, 28, [0, 1, 0, 1], gzip: false);
        string path = f.PathOf("idx/train-images-idx3-ubyte");
        File.WriteAllBytes(path, corrupt(File.ReadAllBytes(path)));
        return (Train(f.PathOf("idx")), fragments);
    }

    private static (string[], string[]) Spec(DataFixtures f, string json, params string[] fragments)
    {
        string spec = f.WriteText("spec.json", json);
        return (Train("fashion-mnist-mini", spec), fragments);
    }

    private static (string[], string[]) Checkpoint(DataFixtures f, byte[] bytes, params string[] fragments)
    {
        string path = f.PathOf("model.safetensors");
        File.WriteAllBytes(path, bytes);
        return (["eval", "--checkpoint", path, "--data", "fashion-mnist-mini"], fragments);
    }

    /// <summary>A PNG whose header declares 100,000 × 100,000 pixels (a decompression bomb's calling card).</summary>
    private static byte[] HugePng(byte[] _)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, 100_000);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), 100_000);
        ihdr[8] = 8; ihdr[9] = 2;   // 8-bit RGB
        var chunk = new List<byte>();
        chunk.AddRange([0, 0, 0, 13]);
        var typeAndData = Encoding.ASCII.GetBytes("IHDR").Concat(ihdr).ToArray();
        chunk.AddRange(typeAndData);
        uint crc = Crc32(typeAndData);
        chunk.AddRange([(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc]);
        return [137, 80, 78, 71, 13, 10, 26, 10, .. chunk];
    }

    // PNG's CRC-32 (polynomial 0xEDB88320), bit by bit: a dozen bytes, no table needed.
    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
