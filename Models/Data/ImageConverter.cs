using System.Buffers;
using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace AutoGrad.Models.Data;

/// <summary>
/// Turns one image (a file, or raw grayscale pixels from IDX) into CHW bytes of the requested shape.
/// Grayscale is ImageSharp's L8 conversion, the BT.709 luminance 0.2126 R + 0.7152 G + 0.0722 B; gray to RGB
/// replicates the value. Resizing stretches to exactly height × width (no aspect-preserving crop) with the
/// bilinear (triangle) sampler. An alpha channel is dropped, not composited. An EXIF orientation is applied
/// before resizing, as PIL's <c>ImageOps.exif_transpose</c> does, so a photo taken upright is learnt upright.
/// A file that ends early is refused (<see cref="ImageIntegrity"/>), as PIL refuses it.
/// </summary>
internal static class ImageConverter
{
    /// <summary>Pixel-count ceiling checked from the header before decoding, against decompression bombs.</summary>
    public const long MaxSourcePixels = 1L << 28;

    /// <summary>
    /// One decoder configuration per thread: images are decoded in parallel, so each decode runs on one
    /// thread instead of ImageSharp's own parallelism competing with ours.
    /// </summary>
    public static Configuration CreateConfiguration()
    {
        var config = Configuration.Default.Clone();
        config.MaxDegreeOfParallelism = 1;
        return config;
    }

    /// <summary>
    /// Decodes <paramref name="path"/> into <paramref name="chw"/>. Any failure (missing, unreadable, corrupt,
    /// truncated, unsupported or oversized file) is an <see cref="AutoGradException"/> "path: reason".
    /// </summary>
    public static void DecodeFile(string path, int channels, int height, int width, Configuration config, Span<byte> chw)
    {
        try
        {
            Decode(path, channels, height, width, config, chw);
        }
        catch (Exception e) when (e is not (AutoGradException or OutOfMemoryException))
        {
            // Decoders report corrupt data through many exception types; all mean "bad file".
            throw new AutoGradException($"{path}: {e.Message.ReplaceLineEndings(" ").Trim()}");
        }
    }

    private static void Decode(string path, int channels, int height, int width, Configuration config, Span<byte> chw)
    {
        Debug.Assert(chw.Length == channels * height * width);
        // Read once, then check the header before committing memory to a full decode.
        byte[] bytes = File.ReadAllBytes(path);
        Inspect(bytes, config);
        if (channels == 1)
        {
            using var gray = Image.Load<L8>(config, bytes);
            Resize(gray, height, width);
            gray.CopyPixelDataTo(chw);
        }
        else
        {
            using var rgb = Image.Load<Rgb24>(config, bytes);
            Resize(rgb, height, width);
            CopyRgb(rgb, chw);
        }
    }

    /// <summary>
    /// Everything known about a file before its pixels are decoded: its header (format, size, colour type),
    /// refused when the format is unknown, the image too large, or the file incomplete. Every reader (the
    /// loader, predict, the doctor's file scan) goes through here, so all agree on which files are bad.
    /// </summary>
    public static IImageInfo Inspect(byte[] bytes, Configuration config)
    {
        var info = Image.Identify(config, bytes, out var format) ?? throw new UnknownImageFormatException("not a JPEG, PNG, BMP, GIF, TGA, TIFF, PBM or WebP image");
        if ((long)info.Width * info.Height > MaxSourcePixels)
            throw new InvalidDataException($"{info.Width}×{info.Height} pixels exceeds the {MaxSourcePixels}-pixel limit");
        if (ImageIntegrity.FindDamage(bytes, format) is { } damage) throw new InvalidDataException(damage);
        return info;
    }

    /// <summary>Converts a raw grayscale image (row-major, <paramref name="srcHeight"/> × <paramref name="srcWidth"/>) into <paramref name="chw"/>.</summary>
    public static void ConvertGray(ReadOnlySpan<byte> gray, int srcHeight, int srcWidth, int channels, int height, int width,
        Configuration config, Span<byte> chw)
    {
        Debug.Assert(gray.Length == srcHeight * srcWidth && chw.Length == channels * height * width);
        int plane = height * width;
        if (srcHeight == height && srcWidth == width)
        {
            gray.CopyTo(chw);
        }
        else
        {
            using var image = Image.LoadPixelData<L8>(config, gray, srcWidth, srcHeight);
            Resize(image, height, width);
            image.CopyPixelDataTo(chw[..plane]);
        }
        for (int c = 1; c < channels; c++) chw[..plane].CopyTo(chw.Slice(c * plane, plane));
    }

    private static void Resize<TPixel>(Image<TPixel> image, int height, int width) where TPixel : unmanaged, IPixel<TPixel>
    {
        if (image.Metadata.ExifProfile is not null) image.Mutate(x => x.AutoOrient());
        if (image.Width != width || image.Height != height)
            image.Mutate(x => x.Resize(width, height, KnownResamplers.Triangle));
    }

    // ImageSharp stores interleaved HWC; the network wants planar CHW.
    private static void CopyRgb(Image<Rgb24> image, Span<byte> chw)
    {
        int plane = image.Width * image.Height;
        byte[] hwc = ArrayPool<byte>.Shared.Rent(plane * 3);
        try
        {
            image.CopyPixelDataTo(hwc.AsSpan(0, plane * 3));
            Span<byte> r = chw[..plane], g = chw.Slice(plane, plane), b = chw.Slice(2 * plane, plane);
            for (int i = 0, j = 0; i < plane; i++, j += 3)
            {
                r[i] = hwc[j];
                g[i] = hwc[j + 1];
                b[i] = hwc[j + 2];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(hwc);
        }
    }
}
