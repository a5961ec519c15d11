using System.Text;
using AutoGrad.Models;
using AutoGrad.Models.Data;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Zoo;
using AutoGrad.Tests.Models.Data;
using FsCheck.Xunit;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace AutoGrad.Tests.Reliability;

/// <summary>
/// Mutated inputs (truncation, bit flips, length fields set to extremes) reach the parsers; they must
/// either succeed or raise AutoGradException with a message, never another exception, a hang or a huge
/// allocation.
/// </summary>
[Trait("Category", "Slow")]
public class ParserFuzzTests : IDisposable
{
    private readonly DataFixtures files = new();

    public void Dispose() => files.Dispose();

    private static byte[] Mutate(byte[] original, Random r)
    {
        var data = (byte[])original.Clone();
        switch (r.Next(4))
        {
            case 0: return data[..r.Next(data.Length)];                                   // truncate
            case 1: for (int i = 0, n = r.Next(1, 9); i < n; i++) data[r.Next(data.Length)] ^= (byte)(1 << r.Next(8)); return data;
            case 2:                                                                        // a length-ish field to an extreme
                int at = r.Next(Math.Max(1, data.Length - 4));
                byte fill = r.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
                for (int i = at; i < Math.Min(data.Length, at + 4); i++) data[i] = fill;
                return data;
            default: return [.. data, .. Enumerable.Range(0, r.Next(1, 64)).Select(_ => (byte)r.Next(256))];  // trailing junk
        }
    }

    /// <summary>Runs <paramref name="parse"/>; only success or AutoGradException (with a one-line message) is allowed.</summary>
    private static void OnlyOwnErrors(Action parse, string what) => ParseGuard.Run(parse, what);

    private byte[] ImageBytes(string extension)
    {
        var path = files.WriteHalves("seed/valid" + extension, 13, 9, new Rgb24(200, 10, 10), new Rgb24(10, 200, 10));
        return File.ReadAllBytes(path);
    }

    [Property(MaxTest = 60)]
    public void MutatedJpegAndPngDecodeOrFailCleanly(int seed)
    {
        var r = new Random(seed);
        foreach (var ext in new[] { ".jpg", ".png" })
        {
            string path = files.PathOf($"fuzz-{seed}{ext}");
            File.WriteAllBytes(path, Mutate(ImageBytes(ext), r));
            var chw = new byte[3 * 8 * 8];
            OnlyOwnErrors(() => ImageConverter.DecodeFile(path, 3, 8, 8, ImageConverter.CreateConfiguration(), chw), path);
        }
    }

    [Property(MaxTest = 80)]
    public void MutatedIdxParsesOrFailsCleanly(int seed)
    {
        var r = new Random(seed);
        var images = Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 25).Select(p => (byte)(i * 25 + p)).ToArray()).ToArray();
        var imageBytes = Mutate(DataFixtures.IdxImages(images, 5, 5), r);
        var labelBytes = Mutate(DataFixtures.IdxLabels([0, 1, 2, 3]), r);
        OnlyOwnErrors(() => IdxReader.ParseImages(imageBytes, "fuzz-images"), "idx images");
        OnlyOwnErrors(() => IdxReader.ParseLabels(labelBytes, "fuzz-labels"), "idx labels");
        OnlyOwnErrors(() => IdxReader.ReadAll(new MemoryStream(Mutate(Gzip(imageBytes), r)), "fuzz.gz"), "gzipped idx");
    }

    [Property(MaxTest = 80)]
    public void MutatedListFileParsesOrFailsCleanly(int seed)
    {
        var r = new Random(seed);
        string root = files.PathOf($"list-{seed}");
        files.WriteSolid($"list-{seed}/images/n01/a.JPEG", 4, 4, new Rgb24(1, 2, 3));
        files.WriteSolid($"list-{seed}/images/n02/b.JPEG", 4, 4, new Rgb24(3, 2, 1));
        var text = Encoding.UTF8.GetBytes("images/n01/a.JPEG 0\nimages/n02/b.JPEG 1\n");
        string list = Path.Combine(root, "train.txt");
        File.WriteAllBytes(list, Mutate(text, r));
        OnlyOwnErrors(() => ImageListFile.Read(root, list), list);
    }

    [Property(MaxTest = 80)]
    public void MutatedSpecParsesAndBuildsOrFailsCleanly(int seed)
    {
        var r = new Random(seed);
        ModelZoo.TryGet("lenet5", out var spec);
        var json = Encoding.UTF8.GetBytes(SpecJson.Write(spec));
        var mutated = Encoding.UTF8.GetString(Mutate(json, r));
        OnlyOwnErrors(() => ModelBuilder.Build<float>(SpecJson.Parse(mutated, "fuzz.json"), 10), "spec");
    }

    [Property(MaxTest = 100)]
    public void MutatedSafetensorsLoadOrFailCleanly(int seed)
    {
        var r = new Random(seed);
        string valid = files.PathOf($"valid-{seed}.safetensors");
        AutoGrad.Models.IO.SafeTensors.Save(valid, [new("w", [2, 3], [1, 2, 3, 4, 5, 6]), new("b", [3], [7, 8, 9])],
            new Dictionary<string, string> { ["autograd.classes"] = "[\"a\",\"b\",\"c\"]" });
        string path = files.PathOf($"fuzz-{seed}.safetensors");
        File.WriteAllBytes(path, Mutate(File.ReadAllBytes(valid), r));
        OnlyOwnErrors(() => AutoGrad.Models.IO.SafeTensors.Load(path), path);
    }

    [Fact]
    public void DeeplyNestedSpecIsRejected()
    {
        string json = new string('[', 5000) + new string(']', 5000);
        var e = Assert.Throws<AutoGradException>(() => SpecJson.Parse(json, "deep.json"));
        Assert.Contains("deep.json", e.Message);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest)) gz.Write(data);
        return output.ToArray();
    }
}
