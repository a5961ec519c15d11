using AutoGrad.Models.Data;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace AutoGrad.Tests.Models.Data;

public sealed class ImageConverterTests : IDisposable
{
    private readonly DataFixtures files = new();

    public void Dispose() => files.Dispose();

    /// <summary>Decodes <paramref name="path"/> as every reader does, to [C, H, W] bytes.</summary>
    internal static byte[] Decode(string path, int channels, int height, int width)
    {
        var chw = new byte[channels * height * width];
        ImageConverter.DecodeFile(path, channels, height, width, ImageConverter.CreateConfiguration(), chw);
        return chw;
    }

    // JPEG is lossy even on a solid colour, so it gets a few levels of slack; PNG and BMP are exact.
    [Theory]
    [InlineData("red.png", 0)]
    [InlineData("red.bmp", 0)]
    [InlineData("red.jpg", 4)]
    public void SolidRedBecomesRgb255_0_0AfterResize(string name, int tolerance)
    {
        string path = files.WriteSolid(name, 37, 23, new Rgb24(255, 0, 0));
        byte[] chw = Decode(path, 3, 16, 12);
        int plane = 16 * 12;
        for (int i = 0; i < plane; i++)
        {
            Assert.InRange(chw[i], 255 - tolerance, 255);
            Assert.InRange(chw[plane + i], 0, tolerance);
            Assert.InRange(chw[2 * plane + i], 0, tolerance);
        }
    }

    [Theory]
    [InlineData(255, 0, 0, 54)]     // 0.2126 × 255
    [InlineData(0, 255, 0, 182)]    // 0.7152 × 255
    [InlineData(0, 0, 255, 18)]     // 0.0722 × 255
    [InlineData(255, 255, 255, 255)]
    public void GrayscaleIsBt709Luminance(byte r, byte g, byte b, int expected)
    {
        string path = files.WriteSolid("c.png", 20, 10, new Rgb24(r, g, b));
        byte[] gray = Decode(path, 1, 8, 8);
        Assert.All(gray, v => Assert.InRange(v, expected - 1, expected + 1));
    }

    [Fact]
    public void GrayscaleFileToRgbReplicatesTheValue()
    {
        string path = files.WriteGray("g.png", 9, 9, 77);
        byte[] chw = Decode(path, 3, 4, 5);
        Assert.All(chw, v => Assert.Equal(77, v));
    }

    [Fact]
    public void LayoutIsChannelPlanesOfRows()
    {
        // Left half red, right half blue: the R plane is bright on the left, the B plane on the right.
        string path = files.WriteHalves("halves.png", 8, 4, new Rgb24(255, 0, 0), new Rgb24(0, 0, 255));
        byte[] chw = Decode(path, 3, 4, 8);
        int plane = 32;
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 8; x++)
            {
                bool left = x < 4;
                Assert.Equal(left ? 255 : 0, chw[y * 8 + x]);
                Assert.Equal(0, chw[plane + y * 8 + x]);
                Assert.Equal(left ? 0 : 255, chw[2 * plane + y * 8 + x]);
            }
    }

    [Fact]
    public void UpscaledGrayIdxReplicatesAcrossChannels()
    {
        var gray = new byte[28 * 28];
        for (int i = 0; i < gray.Length; i++) gray[i] = (byte)(i % 28 < 14 ? 200 : 10);
        var chw = new byte[3 * 32 * 32];
        ImageConverter.ConvertGray(gray, 28, 28, 3, 32, 32, ImageConverter.CreateConfiguration(), chw);
        Assert.True(chw.AsSpan(0, 1024).SequenceEqual(chw.AsSpan(1024, 1024)));
        Assert.True(chw.AsSpan(0, 1024).SequenceEqual(chw.AsSpan(2048, 1024)));
        Assert.InRange(chw[5 * 32 + 2], 195, 200);   // deep in the bright left half
        Assert.InRange(chw[5 * 32 + 29], 10, 15);    // deep in the dark right half
    }

    [Fact]
    public void SameSizeGrayIsCopiedExactly()
    {
        byte[] gray = Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray();
        var chw = new byte[12];
        ImageConverter.ConvertGray(gray, 3, 4, 1, 3, 4, ImageConverter.CreateConfiguration(), chw);
        Assert.Equal(gray, chw);
    }

    [Fact]
    public void NonImageFileThrows()
    {
        string path = files.WriteText("not-an-image.jpg", "hello");
        Assert.ThrowsAny<Exception>(() => Decode(path, 3, 4, 4));
    }
}
