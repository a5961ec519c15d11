using System.Globalization;
using AutoGrad.Models.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace AutoGrad.Models.Diagnostics;

/// <summary>
/// Audits loaded splits: per-class counts and imbalance, exact duplicates shared by train and test (content
/// hash, confirmed byte by byte), the class-index ↔ name mapping, normalisation statistics (and whether the
/// statistics in use came from the test split), and a montage of preprocessed images per class.
/// </summary>
public static class DatasetAudit
{
    public static IReadOnlyList<Finding> Run(DataSplits splits, Normalization inUse, string source, string? montagePath = null)
    {
        var findings = new List<Finding>();
        var train = splits.Train;
        var named = new List<ImageDataset> { train };
        if (splits.Validation is { } v) named.Add(v);
        named.Add(splits.Test);
        int classes = train.Classes.Count;

        string counts = string.Join(" | ", named.Select(s => $"{s.Name}: " + string.Join(" ", Enumerable.Range(0, classes).Select(k => s.Labels.Count(l => l == k)))));
        findings.Add(FindingCatalog.ClassCounts.Create($"{classes} classes; samples per class (index order) per split", counts, "-"));
        foreach (var s in named)
        {
            var perClass = Enumerable.Range(0, classes).Select(k => s.Labels.Count(l => l == k)).ToArray();
            var missing = Enumerable.Range(0, classes).Where(k => perClass[k] == 0).Select(k => train.Classes[k]).ToList();
            if (missing.Count > 0)
                findings.Add(FindingCatalog.ClassMissing.Create($"{s.Name} has no samples of {missing.Count} classes",
                    string.Join(", ", missing.Take(10)), "re-split so every class appears in every split"));
            int min = perClass.Where(c => c > 0).DefaultIfEmpty(0).Min(), max = perClass.Max();
            if (min > 0 && max > 3 * min)
                findings.Add(FindingCatalog.ClassImbalance.Create($"{s.Name} is imbalanced: the largest class has {(double)max / min:F1}× the smallest",
                    $"largest {train.Classes[Array.IndexOf(perClass, max)]} ({max}), smallest {train.Classes[Array.IndexOf(perClass, min)]} ({min})",
                    "report per-class accuracy; rebalance or weight the loss"));
        }
        if (IsSortedByClass(train))
            findings.Add(FindingCatalog.DataSortedByClass.Create($"{train.Name} is stored sorted by class",
                $"labels change {Runs(train) - 1} times over {train.Count} samples", "harmless when batches are shuffled (autograd train shuffles)"));

        findings.AddRange(Duplicates(train, splits.Test));
        findings.Add(Mapping(train, source));
        findings.AddRange(ClassOrder(train));
        findings.AddRange(NormalizationFindings(splits, inUse));
        if (montagePath is not null) Montage(train, inUse, montagePath);
        return findings;
    }

    private static IEnumerable<Finding> Duplicates(ImageDataset train, ImageDataset test)
    {
        var byHash = new Dictionary<ulong, List<int>>();
        for (int i = 0; i < train.Count; i++)
        {
            ulong h = Hash(train.Sample(i));
            if (!byHash.TryGetValue(h, out var list)) byHash[h] = list = [];
            list.Add(i);
        }
        var shared = new List<(int Train, int Test)>();
        for (int j = 0; j < test.Count; j++)
            if (byHash.TryGetValue(Hash(test.Sample(j)), out var candidates))
                foreach (int i in candidates)
                    if (train.Sample(i).SequenceEqual(test.Sample(j))) { shared.Add((i, j)); break; }
        int conflicting = byHash.Values.Where(l => l.Count > 1)
            .Count(l => l.Skip(1).Any(i => train.Label(i) != train.Label(l[0]) && train.Sample(i).SequenceEqual(train.Sample(l[0]))));
        string Name(ImageDataset d, int i) => d.SourcePaths?[i] ?? $"{d.Name}#{i}";
        if (shared.Count > 0)
        {
            double share = (double)shared.Count / test.Count;
            yield return (share > 0.01 ? FindingCatalog.TrainTestDuplicates : FindingCatalog.TrainTestDuplicatesFew).Create(
                $"{shared.Count} test images ({share:P1}) are exact copies of training images",
                string.Join("; ", shared.Take(5).Select(p => $"{Name(train, p.Train)} = {Name(test, p.Test)}")) + (shared.Count > 5 ? "; …" : ""),
                "remove them from the test split: they inflate test accuracy");
        }
        if (conflicting > 0)
            yield return FindingCatalog.ConflictingDuplicates.Create($"{conflicting} identical training images carry different labels",
                "same pixels, different class", "fix the labels; no model can fit both");
    }

    private static Finding Mapping(ImageDataset train, string source)
    {
        string map = string.Join(", ", train.Classes.Select((c, k) => $"{k}={c}"));
        return FindingCatalog.ClassMapping.Create($"class index ↔ name as the model is trained ({source})", map,
            "check this against how you read predictions");
    }

    private static IEnumerable<Finding> ClassOrder(ImageDataset train)
    {
        var numbers = train.Classes.Select(c => int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : (int?)null).ToList();
        if (numbers.All(n => n is not null) && !numbers.SequenceEqual(numbers.Order()))
            yield return FindingCatalog.ClassOrderLexicographic.Create("numeric class folders are ordered as text: label k is not class k",
                $"label order: {string.Join(", ", train.Classes.Take(12))}", "map predictions through the class list, or zero-pad folder names (01, 02, …, 10)");
    }

    private static IEnumerable<Finding> NormalizationFindings(DataSplits splits, Normalization inUse)
    {
        var train = Normalization.Compute(splits.Train);
        var test = Normalization.Compute(splits.Test);
        static string Show(Normalization n) => $"mean [{string.Join(", ", n.Mean.Select(m => m.ToString("F4", CultureInfo.InvariantCulture)))}] std [{string.Join(", ", n.Std.Select(s => s.ToString("F4", CultureInfo.InvariantCulture)))}]";
        static bool Same(Normalization a, Normalization b) => a.Mean.Zip(b.Mean).All(p => Math.Abs(p.First - p.Second) < 1e-6) && a.Std.Zip(b.Std).All(p => Math.Abs(p.First - p.Second) < 1e-6);
        yield return FindingCatalog.Normalisation.Create("normalisation statistics (units of pixel/255)",
            $"train {Show(train)}; test {Show(test)}; in use {Show(inUse)}", "-");
        if (Same(inUse, test) && !Same(inUse, train))
            yield return FindingCatalog.NormalisationFromTest.Create("the normalisation statistics in use come from the test split",
                $"in use {Show(inUse)} = test; train {Show(train)}", "compute mean and std on the training split only: the test split must not shape training");
    }

    /// <summary>A PNG grid: one row per class (index order), up to 8 preprocessed images each, values mapped by 128 + 40·x̂ (so ±3σ spans the range).</summary>
    public static void Montage(ImageDataset data, Normalization norm, string path, int perClass = 8)
    {
        int classes = data.Classes.Count, h = data.Height, w = data.Width, scale = Math.Max(1, 56 / Math.Max(h, w)), gap = 2;
        using var image = new Image<Rgb24>(perClass * (w * scale + gap), Math.Min(classes, 50) * (h * scale + gap), new Rgb24(255, 255, 255));
        var buffer = new float[data.SampleSize];
        for (int k = 0; k < Math.Min(classes, 50); k++)
        {
            var indices = Enumerable.Range(0, data.Count).Where(i => data.Label(i) == k).Take(perClass).ToList();
            for (int c = 0; c < indices.Count; c++)
            {
                norm.Apply(data.Sample(indices[c]), data.Channels, buffer);
                for (int y = 0; y < h * scale; y++)
                    for (int x = 0; x < w * scale; x++)
                    {
                        int at = (y / scale) * w + x / scale, plane = h * w;
                        byte Px(int ch) => (byte)Math.Clamp(128 + 40 * buffer[ch * plane + at], 0, 255);
                        image[c * (w * scale + gap) + x, k * (h * scale + gap) + y] = data.Channels == 3 ? new Rgb24(Px(0), Px(1), Px(2)) : new Rgb24(Px(0), Px(0), Px(0));
                    }
            }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        image.SaveAsPng(path);
    }

    private static bool IsSortedByClass(ImageDataset d) => d.Classes.Count > 1 && Runs(d) <= d.Classes.Count;

    private static int Runs(ImageDataset d)
    {
        int runs = d.Count > 0 ? 1 : 0;
        for (int i = 1; i < d.Count; i++) if (d.Label(i) != d.Label(i - 1)) runs++;
        return runs;
    }

    // FNV-1a: buckets only; equality is confirmed on the bytes.
    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in bytes) h = (h ^ b) * 1099511628211UL;
        return h;
    }
}
