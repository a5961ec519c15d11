using AutoGrad.Models.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace AutoGrad.Models.Diagnostics;

/// <summary>
/// Reads the header and checks the completeness (<see cref="ImageIntegrity"/>) of every image file of a folder dataset (class folders or list files) without decoding
/// pixels: files that cannot be read or end early, grayscale or CMYK files, and sizes far from the model's input.
/// </summary>
internal static class ImageFileScan
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp"];

    public static IEnumerable<Finding> Run(string root, int channels, int height, int width)
    {
        if (!Directory.Exists(root)) yield break;
        var files = ListFiles(root);
        if (files.Count == 0) yield break;
        var bad = new List<string>();
        var gray = new List<string>();
        var cmyk = new List<string>();
        var tiny = new List<string>();
        var odd = new List<string>();
        var sizes = new List<(int W, int H)>();
        var config = ImageConverter.CreateConfiguration();
        foreach (string path in files)
        {
            IImageInfo? info = null;
            string? reason = null;
            // The loader's own header and completeness check, so a file the loader refuses is counted here.
            try { info = ImageConverter.Inspect(File.ReadAllBytes(path), config); }
            catch (Exception e) when (e is not OutOfMemoryException) { reason = e.Message.ReplaceLineEndings(" ").Trim(); }
            if (info is null) { bad.Add($"{path} ({reason})"); continue; }
            sizes.Add((info.Width, info.Height));
            if (info.Metadata.GetJpegMetadata().ColorType is JpegColorType.Cmyk) cmyk.Add(path);
            else if (info.PixelType.BitsPerPixel <= 16) gray.Add(path);
            if (info.Width < width / 2 || info.Height < height / 2) tiny.Add($"{path} {info.Width}×{info.Height}");
            double aspect = (double)Math.Max(info.Width, info.Height) / Math.Max(1, Math.Min(info.Width, info.Height));
            if (aspect > 2.5) odd.Add($"{path} {info.Width}×{info.Height}");
        }
        static string Some(List<string> list) => string.Join("; ", list.Take(5)) + (list.Count > 5 ? $"; and {list.Count - 5} more" : "");
        if (bad.Count > 0)
            yield return FindingCatalog.UndecodableFiles.Create($"{bad.Count} of {files.Count} image files cannot be read", Some(bad),
                "delete or re-export them; the loader refuses a split with unreadable files");
        if (cmyk.Count > 0)
            yield return FindingCatalog.CmykImages.Create($"{cmyk.Count} JPEGs are CMYK", Some(cmyk),
                "convert them to RGB (e.g. `convert in.jpg -colorspace sRGB out.jpg`); CMYK colours decode differently across libraries");
        if (gray.Count > 0 && channels == 3)
            yield return (gray.Count > files.Count / 2 ? FindingCatalog.GrayscaleMajority : FindingCatalog.GrayscaleImages).Create(
                $"{gray.Count} of {files.Count} files are grayscale in an RGB dataset", Some(gray),
                "they are replicated to three channels; if few, check they belong to the dataset");
        if (tiny.Count > 0)
            yield return FindingCatalog.TinyImages.Create($"{tiny.Count} images are less than half the model's input size {height}×{width}", Some(tiny),
                "upscaling blurs them; drop them or lower the input size");
        if (odd.Count > 0)
            yield return FindingCatalog.UnusualAspect.Create($"{odd.Count} images have an aspect ratio above 2.5", Some(odd),
                "stretching to a square distorts them; crop instead");
        if (sizes.Count > 0)
        {
            var w = sizes.Select(s => s.W).Order().ToList();
            var h = sizes.Select(s => s.H).Order().ToList();
            yield return FindingCatalog.ImageSizes.Create($"{sizes.Count} files, resized to {height}×{width}",
                $"width {w[0]}–{w[^1]} (median {w[w.Count / 2]}), height {h[0]}–{h[^1]} (median {h[h.Count / 2]})", "-");
        }
    }

    private static List<string> ListFiles(string root)
    {
        var files = new List<string>();
        foreach (string list in new[] { "train.txt", "val.txt", "test.txt" }.Select(f => Path.Combine(root, f)).Where(File.Exists))
            foreach (string line in File.ReadLines(list))
            {
                int space = line.LastIndexOf(' ');
                if (space > 0) files.Add(Path.Combine(root, line[..space]));
            }
        if (files.Count > 0) return files.Distinct().Where(File.Exists).ToList();
        foreach (string split in new[] { "train", "val", "test" }.Select(s => Path.Combine(root, s)).Where(Directory.Exists))
            files.AddRange(Directory.EnumerateFiles(split, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal));
        return files;
    }
}
