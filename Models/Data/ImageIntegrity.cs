using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;

namespace AutoGrad.Models.Data;

/// <summary>
/// Finds image files that end early. ImageSharp decodes a cut-short file without complaint and fills what is
/// missing (grey for JPEG, black for PNG), so a copy interrupted mid-file would train as a half-empty image;
/// PIL, and with it PyTorch's loaders, refuse such files. This walks each file's structure, without decoding
/// pixels, and names the first place where the data runs out:
/// JPEG — the marker segments and every scan's entropy-coded data, then the end-of-image marker (a
/// progressive file cut between scans has no EOI either); PNG — every chunk whole, at least one IDAT, then
/// IEND; GIF — every block and image's data sub-blocks whole, then the trailer. Formats without an end
/// marker (BMP, TGA, TIFF, PBM, WebP) are checked by <see cref="ImageExtent"/> against the byte count their
/// header promises. Bytes after the end marker are ignored, as every decoder does.
/// </summary>
internal static class ImageIntegrity
{
    /// <summary>Null when <paramref name="bytes"/> hold a complete file of <paramref name="format"/>, else why not (one line).</summary>
    public static string? FindDamage(ReadOnlySpan<byte> bytes, IImageFormat format) => format switch
    {
        JpegFormat => Jpeg(bytes),
        PngFormat => Png(bytes),
        GifFormat => Gif(bytes),
        _ => ImageExtent.FindDamage(bytes, format),
    };

    private static string Truncated(string format, string where, int length) => $"truncated {format}: the file ends {where} ({length} bytes)";

    private static string? Jpeg(ReadOnlySpan<byte> b)
    {
        if (b.Length < 2 || b[0] != 0xFF || b[1] != 0xD8) return "damaged JPEG: no start-of-image marker";
        int p = 2, scans = 0;
        while (true)
        {
            // Decoders skip stray bytes between segments (libjpeg warns "extraneous bytes"); so do we.
            int ff = b[p..].IndexOf((byte)0xFF);
            if (ff < 0) return Truncated("JPEG", scans == 0 ? "before its first scan" : $"after scan {scans} without an end-of-image marker", b.Length);
            p += ff;
            while (p < b.Length && b[p] == 0xFF) p++;   // fill bytes
            if (p >= b.Length) return Truncated("JPEG", "inside a marker", b.Length);
            byte marker = b[p++];
            if (marker == 0xD9) return scans > 0 ? null : "damaged JPEG: end-of-image marker before any scan";
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) continue;   // markers without a length
            if (p + 2 > b.Length) return Truncated("JPEG", $"inside the length of marker FF{marker:X2}", b.Length);
            int length = BinaryPrimitives.ReadUInt16BigEndian(b[p..]);
            if (length < 2) return $"damaged JPEG: marker FF{marker:X2} at byte {p - 2} has length {length}";
            if (p + length > b.Length) return Truncated("JPEG", $"inside segment FF{marker:X2} that starts at byte {p - 2}", b.Length);
            p += length;
            if (marker != 0xDA) continue;
            scans++;
            p = SkipEntropyCoded(b, p);
            if (p < 0) return Truncated("JPEG", $"inside the entropy-coded data of scan {scans}", b.Length);
        }
    }

    // Entropy-coded data ends at the first 0xFF that is neither a stuffed 0xFF00, a restart marker nor fill:
    // the next marker. Returns its position, or -1 when the data runs to the end of the file.
    private static int SkipEntropyCoded(ReadOnlySpan<byte> b, int p)
    {
        while (true)
        {
            int ff = b[p..].IndexOf((byte)0xFF);
            if (ff < 0) return -1;
            p += ff;
            if (p + 1 >= b.Length) return -1;
            byte next = b[p + 1];
            if (next == 0x00 || next is >= 0xD0 and <= 0xD7) p += 2;
            else if (next == 0xFF) p++;
            else return p;
        }
    }

    private static string? Png(ReadOnlySpan<byte> b)
    {
        int p = 8;   // the signature, already matched by the format detection
        bool data = false;
        while (true)
        {
            if (p + 8 > b.Length) return Truncated("PNG", data ? "after its image data without an IEND chunk" : "before its image data", b.Length);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(b[p..]);
            var type = b.Slice(p + 4, 4);
            string name = System.Text.Encoding.ASCII.GetString(type);
            if (length > int.MaxValue || p + 12L + length > b.Length)
                return Truncated("PNG", $"inside chunk {name} that starts at byte {p}", b.Length);
            if (p == 8 && name != "IHDR") return "damaged PNG: the first chunk is not IHDR";
            if (name == "IDAT") data = true;
            if (name == "IEND") return data ? null : "damaged PNG: no IDAT chunk before IEND";
            p += 12 + (int)length;
        }
    }

    private static string? Gif(ReadOnlySpan<byte> b)
    {
        if (b.Length < 13) return Truncated("GIF", "inside its header", b.Length);
        int p = 13 + ColorTable(b[10]), images = 0;
        while (true)
        {
            if (p >= b.Length) return Truncated("GIF", images == 0 ? "before its first image" : $"after image {images} without a trailer", b.Length);
            byte block = b[p++];
            switch (block)
            {
                case 0x3B: return images > 0 ? null : "damaged GIF: trailer before any image";
                case 0x21:
                    p = SkipSubBlocks(b, p + 1);
                    if (p < 0) return Truncated("GIF", "inside an extension block", b.Length);
                    break;
                case 0x2C:
                    if (p + 10 > b.Length) return Truncated("GIF", $"inside the descriptor of image {images + 1}", b.Length);
                    p += 9 + ColorTable(b[p + 8]) + 1;   // descriptor, local colour table, LZW code size
                    p = SkipSubBlocks(b, p);
                    if (p < 0) return Truncated("GIF", $"inside the data of image {images + 1}", b.Length);
                    images++;
                    break;
                default: return $"damaged GIF: unknown block 0x{block:X2} at byte {p - 1}";
            }
        }
    }

    private static int ColorTable(byte packed) => (packed & 0x80) == 0 ? 0 : 3 << ((packed & 7) + 1);

    // GIF data: sub-blocks of (size, bytes) ending with a zero size. Returns the position after it, or -1.
    private static int SkipSubBlocks(ReadOnlySpan<byte> b, int p)
    {
        while (p < b.Length)
        {
            int size = b[p++];
            if (size == 0) return p;
            p += size;
        }
        return -1;
    }
}
