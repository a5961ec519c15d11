using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;

namespace AutoGrad.Models.Data;

/// <summary>
/// The completeness check of <see cref="ImageIntegrity"/> for formats without an end marker: the pixel data
/// the header describes must lie inside the file. BMP — rows of ⌈width·bits/32⌉·4 bytes from the pixel offset
/// (compressed BMPs: the file size in the header); TGA — the pixels, or every run-length packet, after the ID
/// and colour map; TIFF — every strip or tile of every image; PBM/PGM/PPM — the raster after the header;
/// WebP — the RIFF size.
/// </summary>
internal static class ImageExtent
{
    public static string? FindDamage(ReadOnlySpan<byte> bytes, IImageFormat format) => format switch
    {
        BmpFormat => Bmp(bytes),
        TgaFormat => Tga(bytes),
        TiffFormat => Tiff(bytes),
        PbmFormat => Pbm(bytes),
        WebpFormat => Riff(bytes),
        _ => null,
    };

    private static string? Short(string format, long need, int have) =>
        have < need ? $"truncated {format}: the header describes {need} bytes but the file has {have}" : null;

    private static string? Bmp(ReadOnlySpan<byte> b)
    {
        if (b.Length < 30) return Short("BMP", 30, b.Length);
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(b[10..]);
        bool core = BinaryPrimitives.ReadUInt32LittleEndian(b[14..]) == 12;   // OS/2 BITMAPCOREHEADER
        long width = core ? BinaryPrimitives.ReadUInt16LittleEndian(b[18..]) : BinaryPrimitives.ReadInt32LittleEndian(b[18..]);
        long height = core ? BinaryPrimitives.ReadUInt16LittleEndian(b[20..]) : BinaryPrimitives.ReadInt32LittleEndian(b[22..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(b[(core ? 24 : 28)..]);
        uint compression = core || b.Length < 34 ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(b[30..]);
        if (compression is 0 or 3 or 6)   // BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS: fixed-size rows
            return Short("BMP", offset + (Math.Abs(width) * bits + 31) / 32 * 4 * Math.Abs(height), b.Length);
        return Short("BMP", BinaryPrimitives.ReadUInt32LittleEndian(b[2..]), b.Length);
    }

    private static string? Tga(ReadOnlySpan<byte> b)
    {
        if (b.Length < 18) return Short("TGA", 18, b.Length);
        int colorMap = b[1] == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(b[5..]) * ((b[7] + 7) / 8) : 0;
        long p = 18 + b[0] + colorMap;
        long pixels = (long)BinaryPrimitives.ReadUInt16LittleEndian(b[12..]) * BinaryPrimitives.ReadUInt16LittleEndian(b[14..]);
        int size = (b[16] + 7) / 8;
        if (b[2] < 8) return Short("TGA", p + pixels * size, b.Length);
        // Run-length encoded: each packet is a header byte, then one pixel repeated or up to 128 literal pixels.
        while (pixels > 0)
        {
            if (p >= b.Length) return $"truncated TGA: the file ends with {pixels} pixels still to come ({b.Length} bytes)";
            int header = b[(int)p++], count = (header & 0x7F) + 1;
            p += (header & 0x80) != 0 ? size : count * size;
            pixels -= count;
        }
        return Short("TGA", p, b.Length);
    }

    private static string? Tiff(ReadOnlySpan<byte> b)
    {
        if (b.Length < 8) return Short("TIFF", 8, b.Length);
        bool little = b[0] == (byte)'I';
        if (U16(b, little, 2) != 42) return null;   // BigTIFF and others: left to the decoder
        long ifd = U32(b, little, 4);
        for (int image = 0; ifd != 0 && image < 1024; image++)
        {
            if (ifd + 2 > b.Length) return Short("TIFF", ifd + 2, b.Length);
            uint entries = U16(b, little, ifd);
            if (ifd + 6 + entries * 12L > b.Length) return Short("TIFF", ifd + 6 + entries * 12L, b.Length);
            (long At, uint Count, uint Type) offsets = default, counts = default;
            for (int e = 0; e < entries; e++)
            {
                long entry = ifd + 2 + e * 12L;
                uint tag = U16(b, little, entry), type = U16(b, little, entry + 2), count = U32(b, little, entry + 4);
                long bytes = TiffTypeSize(type) * (long)count;
                long at = bytes <= 4 ? entry + 8 : U32(b, little, entry + 8);
                if (at + bytes > b.Length) return Short("TIFF", at + bytes, b.Length);   // a value stored after the IFD
                if (tag is 273 or 324) offsets = (at, count, type);   // StripOffsets, TileOffsets
                if (tag is 279 or 325) counts = (at, count, type);    // StripByteCounts, TileByteCounts
            }
            int width = offsets.Type == 3 ? 2 : 4, countWidth = counts.Type == 3 ? 2 : 4;
            if (offsets.At + (long)offsets.Count * width > b.Length || counts.At + (long)counts.Count * countWidth > b.Length)
                return Short("TIFF", Math.Max(offsets.At + (long)offsets.Count * width, counts.At + (long)counts.Count * countWidth), b.Length);
            for (int i = 0; i < Math.Min(offsets.Count, counts.Count); i++)
            {
                long start = width == 2 ? U16(b, little, offsets.At + 2L * i) : U32(b, little, offsets.At + 4L * i);
                long length = countWidth == 2 ? U16(b, little, counts.At + 2L * i) : U32(b, little, counts.At + 4L * i);
                if (start + length > b.Length) return Short("TIFF", start + length, b.Length);
            }
            ifd = U32(b, little, ifd + 2 + entries * 12L);
        }
        return null;
    }

    private static int TiffTypeSize(uint type) => type switch
    {
        3 or 8 => 2,              // SHORT, SSHORT
        4 or 9 or 11 or 13 => 4,  // LONG, SLONG, FLOAT, IFD
        5 or 10 or 12 => 8,       // RATIONAL, SRATIONAL, DOUBLE
        _ => 1,                   // BYTE, ASCII, SBYTE, UNDEFINED
    };

    private static uint U16(ReadOnlySpan<byte> b, bool little, long at) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b[(int)at..]) : BinaryPrimitives.ReadUInt16BigEndian(b[(int)at..]);

    private static uint U32(ReadOnlySpan<byte> b, bool little, long at) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b[(int)at..]) : BinaryPrimitives.ReadUInt32BigEndian(b[(int)at..]);

    private static string? Pbm(ReadOnlySpan<byte> b)
    {
        char kind = (char)b[1];
        int p = 2;
        long[] header = new long[kind is '1' or '4' ? 2 : 3];
        for (int i = 0; i < header.Length; i++)
        {
            while (p < b.Length && (char.IsWhiteSpace((char)b[p]) || b[p] == '#'))
            {
                int skip = b[p] == '#' ? b[p..].IndexOf((byte)'\n') : 1;   // a comment runs to the end of its line
                p = skip < 0 ? b.Length : p + skip;
            }
            if (p >= b.Length) return $"truncated PBM: the file ends inside its header ({b.Length} bytes)";
            while (p < b.Length && b[p] is >= (byte)'0' and <= (byte)'9') header[i] = Math.Min(header[i] * 10 + b[p++] - '0', int.MaxValue);
        }
        long pixels = header[0] * header[1];
        int sampleBytes = header.Length == 3 && header[2] > 255 ? 2 : 1;
        p++;   // the single whitespace byte before a binary raster
        return kind switch
        {
            '4' => Short("PBM", p + (header[0] + 7) / 8 * header[1], b.Length),
            '5' => Short("PGM", p + pixels * sampleBytes, b.Length),
            '6' => Short("PPM", p + pixels * 3 * sampleBytes, b.Length),
            _ => PlainValues(b[Math.Min(p, b.Length)..], kind == '3' ? pixels * 3 : pixels, packedDigits: kind == '1'),
        };
    }

    // Plain (ASCII) netpbm: count the values; a plain PBM may write its 0/1 digits without separators.
    private static string? PlainValues(ReadOnlySpan<byte> b, long need, bool packedDigits)
    {
        long found = 0;
        bool inNumber = false;
        foreach (byte c in b)
        {
            bool digit = c is >= (byte)'0' and <= (byte)'9';
            if (digit && (packedDigits || !inNumber)) found++;
            inNumber = digit;
        }
        return found < need ? $"truncated netpbm: {found} of {need} values ({b.Length} bytes of raster)" : null;
    }

    private static string? Riff(ReadOnlySpan<byte> b) =>
        b.Length < 12 ? Short("WebP", 12, b.Length) : Short("WebP", 8L + BinaryPrimitives.ReadUInt32LittleEndian(b[4..]), b.Length);
}
