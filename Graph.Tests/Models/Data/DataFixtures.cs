using System.Buffers.Binary;
using System.IO.Compression;
using AutoGrad.Models.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace AutoGrad.Tests.Models.Data;

/// <summary>A temporary folder with writers for the file formats the data pipeline reads; deleted on dispose.</summary>
public sealed class DataFixtures : IDisposable
{
    public DataFixtures()
    {
        Root = Path.Combine(Path.GetTempPath(), "autograd-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Options for tests: two threads, no logging, and the given memory budget.</summary>
    public static DataLoadOptions Options(long memoryBudget = DataLoadOptions.DefaultMemoryBudgetBytes) =>
        new() { MaxDegreeOfParallelism = 2, MemoryBudgetBytes = memoryBudget };

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Writes a solid-colour image; the format follows the extension (.png lossless, .jpg at quality 95, .bmp).</summary>
    public string WriteSolid(string relative, int width, int height, Rgb24 color) =>
        WriteImage(relative, new Image<Rgb24>(width, height, color));

    /// <summary>Writes an image whose left half is <paramref name="left"/> and right half <paramref name="right"/>.</summary>
    public string WriteHalves(string relative, int width, int height, Rgb24 left, Rgb24 right)
    {
        var image = new Image<Rgb24>(width, height, left);
        for (int y = 0; y < height; y++)
            for (int x = width / 2; x < width; x++) image[x, y] = right;
        return WriteImage(relative, image);
    }

    /// <summary>Writes an 8-bit grayscale image of one value.</summary>
    public string WriteGray(string relative, int width, int height, byte value) =>
        WriteImage(relative, new Image<L8>(width, height, new L8(value)));

    public string WriteText(string relative, string text)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Writes IDX images (magic 0x803) and labels (0x801) as "stem-images-idx3-ubyte[.gz]" and "stem-labels-idx1-ubyte[.gz]".</summary>
    public void WriteIdx(string folder, string stem, byte[][] images, int rows, int cols, byte[] labels, bool gzip)
    {
        string dir = PathOf(folder);
        Directory.CreateDirectory(dir);
        string suffix = gzip ? ".gz" : "";
        WriteBytes(Path.Combine(dir, $"{stem}-images-idx3-ubyte{suffix}"), IdxImages(images, rows, cols), gzip);
        WriteBytes(Path.Combine(dir, $"{stem}-labels-idx1-ubyte{suffix}"), IdxLabels(labels), gzip);
    }

    public static byte[] IdxImages(byte[][] images, int rows, int cols)
    {
        var data = new byte[16 + images.Length * rows * cols];
        BinaryPrimitives.WriteUInt32BigEndian(data, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), images.Length);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(12), cols);
        for (int i = 0; i < images.Length; i++) images[i].CopyTo(data, 16 + i * rows * cols);
        return data;
    }

    public static byte[] IdxLabels(byte[] labels)
    {
        var data = new byte[8 + labels.Length];
        BinaryPrimitives.WriteUInt32BigEndian(data, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), labels.Length);
        labels.CopyTo(data, 8);
        return data;
    }

    public static void WriteBytes(string path, byte[] data, bool gzip)
    {
        if (!gzip) { File.WriteAllBytes(path, data); return; }
        using var file = File.Create(path);
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(data);
    }

    /// <summary>A dataset of <paramref name="count"/> 1×h×w samples where every byte of sample i is i (so i ≤ 255).</summary>
    public static ImageDataset Indexed(int count, int height = 2, int width = 3, int classes = 3)
    {
        var pixels = new byte[count * height * width];
        for (int i = 0; i < count; i++) pixels.AsSpan(i * height * width, height * width).Fill((byte)i);
        var labels = Enumerable.Range(0, count).Select(i => i % classes).ToArray();
        var names = Enumerable.Range(0, classes).Select(k => $"c{k}").ToArray();
        return ImageDataset.FromBytes("indexed", names, 1, height, width, pixels, labels);
    }

    /// <summary>In-memory splits of solid 1×3×3 samples, for tests that need a <see cref="DataSplits"/> without files.</summary>
    public static DataSplits SolidSplits(byte trainValue, byte testValue, int count = 4)
    {
        ImageDataset Solid(string name, byte value) => ImageDataset.FromBytes(name, ["x", "y"], 1, 3, 3,
            Enumerable.Repeat(value, count * 9).ToArray(), Enumerable.Range(0, count).Select(i => i % 2).ToArray());
        return new DataSplits(Solid("train", trainValue), null, Solid("test", testValue));
    }

    /// <summary>Asserts that <paramref name="action"/> throws an AutoGradException whose one-line message contains every fragment.</summary>
    public static AutoGradException AssertError(Action action, params string[] fragments)
    {
        var e = Assert.Throws<AutoGradException>(action);
        Assert.DoesNotContain('\n', e.Message);
        foreach (string f in fragments) Assert.Contains(f, e.Message);
        return e;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }

    private string WriteImage<TPixel>(string relative, Image<TPixel> image) where TPixel : unmanaged, IPixel<TPixel>
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (image)
        {
            string ext = Path.GetExtension(path).ToLowerInvariant();
            if (ext is ".jpg" or ".jpeg") image.Save(path, new JpegEncoder { Quality = 95 });
            else if (ext == ".png") image.Save(path, new PngEncoder());
            else image.Save(path);
        }
        return path;
    }
}
