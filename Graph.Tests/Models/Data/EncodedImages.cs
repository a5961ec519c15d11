using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace AutoGrad.Tests.Models.Data;

/// <summary>Images encoded in memory by every encoder ImageSharp 2.1 has (one for each format it decodes), for the truncation tests.</summary>
public static class EncodedImages
{
    public static readonly (string Name, IImageEncoder Encoder)[] Encoders =
    [
        ("jpeg", new JpegEncoder { Quality = 90 }), ("png", new PngEncoder()), ("gif", new GifEncoder()), ("bmp", new BmpEncoder()),
        ("tga", new TgaEncoder()), ("tga-rle", new TgaEncoder { Compression = TgaCompression.RunLength }), ("tiff", new TiffEncoder()),
        ("pbm", new PbmEncoder()), ("pbm-binary", new PbmEncoder { Encoding = PbmEncoding.Binary }), ("webp", new WebpEncoder()),
    ];

    /// <summary>A <paramref name="width"/>×<paramref name="height"/> image of seeded noise over a gradient (so no encoder can shrink it to nothing).</summary>
    public static Image<Rgb24> Noise(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = new Rgb24((byte)(x * 255 / width), (byte)rng.Next(256), (byte)(y * 255 / height));
        return image;
    }

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    public static byte[] Encode(string format, int width, int height, int seed)
    {
        using var image = Noise(width, height, seed);
        return Encode(image, Encoders.Single(e => e.Name == format).Encoder);
    }
}
