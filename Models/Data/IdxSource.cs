using System.Reflection;

namespace AutoGrad.Models.Data;

/// <summary>
/// Builds splits from IDX files: a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte,
/// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each optionally .gz), or the same four files embedded
/// in this assembly under a name prefix. Samples are converted and resized in parallel when the requested
/// shape differs from the files' (e.g. 1×28×28 → 3×32×32).
/// </summary>
internal static class IdxSource
{
    /// <summary>The IDX file stems of the two splits, in (train, test) order.</summary>
    public static readonly string[] Splits = ["train", "t10k"];

    public static readonly string[] FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>True when <paramref name="folder"/> holds a train images file, plain or gzipped.</summary>
    public static bool IsIdxFolder(string folder) => Find(folder, "train-images-idx3-ubyte") is not null;

    /// <summary>Loads an IDX folder; class names are Fashion-MNIST's when the folder name contains "fashion", else digits.</summary>
    public static DataSplits LoadFolder(string folder, string name, int channels, int height, int width, DataLoadOptions options)
    {
        bool fashion = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)))
            .Contains("fashion", StringComparison.OrdinalIgnoreCase);
        var splits = new ImageDataset[2];
        for (int s = 0; s < 2; s++)
        {
            string images = Require(folder, $"{Splits[s]}-images-idx3-ubyte");
            string labels = Require(folder, $"{Splits[s]}-labels-idx1-ubyte");
            options.Log?.Invoke($"{name}: reading {images}");
            splits[s] = Build($"{name}/{(s == 0 ? "train" : "test")}", fashion, IdxReader.ReadAll(images), images,
                IdxReader.ReadAll(labels), labels, channels, height, width, TrainOnly(options, s),
                () => SampleCache.FileIdentity([images, labels]));
        }
        return new DataSplits(splits[0], null, splits[1]);
    }

    /// <summary>Loads the four gzipped IDX files embedded as "<paramref name="prefix"/>/&lt;stem&gt;.gz".</summary>
    public static DataSplits LoadEmbedded(string prefix, bool fashion, int channels, int height, int width, DataLoadOptions options)
    {
        var assembly = typeof(IdxSource).Assembly;
        var splits = new ImageDataset[2];
        for (int s = 0; s < 2; s++)
        {
            string images = $"{prefix}/{Splits[s]}-images-idx3-ubyte.gz", labels = $"{prefix}/{Splits[s]}-labels-idx1-ubyte.gz";
            string version = assembly.ManifestModule.ModuleVersionId.ToString();
            splits[s] = Build($"{prefix}/{(s == 0 ? "train" : "test")}", fashion, Resource(assembly, images), images,
                Resource(assembly, labels), labels, channels, height, width, TrainOnly(options, s), () => [images, version]);
        }
        return new DataSplits(splits[0], null, splits[1]);
    }

    // The class count comes from the training split's labels; the test split must not call the hook again.
    private static DataLoadOptions TrainOnly(DataLoadOptions options, int split) => split == 0 ? options : options with { BeforeDecode = null };

    private static ImageDataset Build(string name, bool fashion, byte[] imageFile, string imagePath, byte[] labelFile,
        string labelPath, int channels, int height, int width, DataLoadOptions options, Func<IEnumerable<string>> identity)
    {
        var (count, rows, cols, pixels) = IdxReader.ParseImages(imageFile, imagePath);
        var labelBytes = IdxReader.ParseLabels(labelFile, labelPath);
        if (labelBytes.Length != count)
            throw new AutoGradException($"{labelPath}: {labelBytes.Length} labels but {imagePath} has {count} images");
        var labels = new int[count];
        int maxLabel = 0;
        for (int i = 0; i < count; i++) maxLabel = Math.Max(maxLabel, labels[i] = labelBytes.Span[i]);
        if (fashion && maxLabel >= FashionClasses.Length)
            throw new AutoGradException($"{labelPath}: label {maxLabel}, expected 0..9 for Fashion-MNIST");
        string[] classes = fashion ? FashionClasses
            : Enumerable.Range(0, Math.Max(10, maxLabel + 1)).Select(k => k.ToString()).ToArray();
        options.BeforeDecode?.Invoke(classes.Length);

        int plane = rows * cols;
        if (channels == 1 && rows == height && cols == width && (long)count * plane <= options.MemoryBudgetBytes)
            return new ImageDataset(name, classes, 1, height, width,
                new InMemorySampleStore(pixels.ToArray(), count, plane), labels, null);

        var store = SampleCache.Allocate(name, count, channels, height, width, options, identity, out bool filled);
        if (!filled)
        {
            options.Log?.Invoke($"{name}: converting {count} images from 1×{rows}×{cols} to {channels}×{height}×{width}");
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism) };
            Parallel.For(0, count, parallel, ImageConverter.CreateConfiguration, (i, _, config) =>
            {
                ImageConverter.ConvertGray(pixels.Span.Slice(i * plane, plane), rows, cols, channels, height, width,
                    config, store.Slot(i));
                return config;
            }, _ => { });
            SampleCache.Commit(store);
        }
        return new ImageDataset(name, classes, channels, height, width, store, labels, null);
    }

    private static string? Find(string folder, string stem)
    {
        // Prefer the plain file when both exist: it skips the gunzip.
        string plain = Path.Combine(folder, stem), gz = plain + ".gz";
        return File.Exists(plain) ? plain : File.Exists(gz) ? gz : null;
    }

    private static string Require(string folder, string stem) => Find(folder, stem)
        ?? throw new AutoGradException($"{folder}: missing IDX file {stem} (or {stem}.gz)");

    private static byte[] Resource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new AutoGradException($"embedded resource '{name}' is missing from {assembly.GetName().Name}; see tools/README.md");
        return IdxReader.ReadAll(stream, name);
    }
}
