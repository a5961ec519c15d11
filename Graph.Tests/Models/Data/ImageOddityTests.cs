using AutoGrad.Models.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace AutoGrad.Tests.Models.Data;

/// <summary>ImageNet-style oddities are read, to the pixels PIL gives, not refused.</summary>
public sealed class ImageOddityTests : IDisposable
{
    private readonly DataFixtures files = new();

    public void Dispose() => files.Dispose();

    private static byte[] Decode(string path, int channels, int height, int width) => ImageConverterTests.Decode(path, channels, height, width);

    private static void AssertPixel(byte[] chw, int height, int width, int x, int y, (int R, int G, int B) expected, int tolerance)
    {
        int plane = height * width, i = y * width + x;
        var actual = (chw[i], chw[plane + i], chw[2 * plane + i]);
        Assert.True(Math.Abs(actual.Item1 - expected.R) <= tolerance && Math.Abs(actual.Item2 - expected.G) <= tolerance
            && Math.Abs(actual.Item3 - expected.B) <= tolerance, $"pixel ({x}, {y}) is {actual}, expected {expected} ± {tolerance}");
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Models", "Data", "Fixtures", name);

    // Quadrant centres against the RGB Pillow decodes the fixture to (Fixtures/README.md).
    [Theory]
    [InlineData("cmyk.jpg", 0, 255, 255, 255, 0, 255, 255, 255, 0, 0, 0, 0)]
    [InlineData("progressive.jpg", 254, 0, 0, 0, 255, 1, 0, 0, 254, 255, 255, 255)]
    public void CmykAndProgressiveJpegsDecodeToPillowsColours(string name, int r0, int g0, int b0, int r1, int g1, int b1,
        int r2, int g2, int b2, int r3, int g3, int b3)
    {
        byte[] chw = Decode(Fixture(name), 3, 32, 32);
        AssertPixel(chw, 32, 32, 8, 8, (r0, g0, b0), 6);
        AssertPixel(chw, 32, 32, 24, 8, (r1, g1, b1), 6);
        AssertPixel(chw, 32, 32, 8, 24, (r2, g2, b2), 6);
        AssertPixel(chw, 32, 32, 24, 24, (r3, g3, b3), 6);
    }

    [Fact]
    public void GrayscaleJpegIsReplicatedToThreeChannels()
    {
        string path = files.PathOf("gray.jpg");
        using (var image = new Image<L8>(16, 16, new L8(100))) image.SaveAsJpeg(path, new JpegEncoder { ColorType = JpegColorType.Luminance, Quality = 95 });
        byte[] chw = Decode(path, 3, 16, 16);
        Assert.All(chw, v => Assert.InRange(v, 98, 102));
    }

    [Fact]
    public void PngNamedJpegIsReadByItsContent()
    {
        string path = files.PathOf("images/n01/photo.JPEG");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var image = new Image<Rgb24>(8, 8, new Rgb24(10, 200, 30))) image.SaveAsPng(path);
        byte[] chw = Decode(path, 3, 8, 8);
        AssertPixel(chw, 8, 8, 3, 3, (10, 200, 30), 0);
    }

    /// <summary>
    /// EXIF orientation 6 ("rotate 90° clockwise to view"), applied as PIL's exif_transpose does: a stored 32×16
    /// image, red left and blue right, is seen 16×32 with red on top.
    /// </summary>
    [Fact]
    public void ExifOrientationIsApplied()
    {
        string path = files.PathOf("rotated.jpg");
        using (var image = new Image<Rgb24>(32, 16, new Rgb24(255, 0, 0)))
        {
            for (int y = 0; y < 16; y++)
                for (int x = 16; x < 32; x++) image[x, y] = new Rgb24(0, 0, 255);
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
            image.SaveAsJpeg(path, new JpegEncoder { Quality = 100, ColorType = JpegColorType.YCbCrRatio444 });
        }
        byte[] chw = Decode(path, 3, 32, 16);
        AssertPixel(chw, 32, 16, 8, 6, (255, 0, 0), 8);
        AssertPixel(chw, 32, 16, 8, 26, (0, 0, 255), 8);
        AssertPixel(chw, 32, 16, 2, 26, (0, 0, 255), 8);   // stretched, not rotated, this would be red
    }
}
