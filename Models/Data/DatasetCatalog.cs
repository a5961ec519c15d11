namespace AutoGrad.Models.Data;

/// <summary>
/// Turns a dataset name or folder into train/validation/test splits of the requested shape. Names:
/// "fashion-mnist-mini" (10,000 train and 2,000 test images embedded in this assembly; tools/README.md
/// says how they were made) and "fashion-mnist" (the Debian package's IDX files). A folder may hold list
/// files (train.txt, val.txt, test.txt), class folders (train/, val/, test/) or the four MNIST IDX files.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>The embedded 10-class subset: 10,000 train (1,000 per class) and 2,000 test (200 per class) images of 1×28×28.</summary>
    public const string FashionMnistMini = "fashion-mnist-mini";

    /// <summary>The full Fashion-MNIST (60,000 + 10,000) from <see cref="FashionMnistFolder"/>.</summary>
    public const string FashionMnist = "fashion-mnist";

    /// <summary>Where Debian's dataset-fashion-mnist package installs the full set.</summary>
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Largest accepted output height or width.</summary>
    public const int MaxSide = 4096;

    /// <summary>The built-in dataset names.</summary>
    public static IReadOnlyList<string> Names { get; } = [FashionMnistMini, FashionMnist];

    /// <summary>
    /// Loads <paramref name="nameOrPath"/> converted to <paramref name="channels"/> (1 = BT.709 luminance,
    /// 3 = RGB) and resized to <paramref name="height"/> × <paramref name="width"/> (bilinear, stretched).
    /// Every problem with the input is an <see cref="AutoGradException"/> naming the file (and line).
    /// </summary>
    public static DataSplits Load(string nameOrPath, int channels, int height, int width, DataLoadOptions? options = null)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath))
            throw new AutoGradException($"`Data`: dataset name or folder is empty, expected one of {string.Join(", ", Names)} or a folder");
        ValidateShape(channels, height, width);
        options ??= new DataLoadOptions();
        if (options.MaxDegreeOfParallelism < 1)
            throw new AutoGradException($"MaxDegreeOfParallelism {options.MaxDegreeOfParallelism} must be at least 1");

        if (nameOrPath == FashionMnistMini)
            return IdxSource.LoadEmbedded(FashionMnistMini, fashion: true, channels, height, width, options);
        if (nameOrPath == FashionMnist)
        {
            if (!IdxSource.IsIdxFolder(FashionMnistFolder))
                throw new AutoGradException($"dataset '{FashionMnist}' needs {FashionMnistFolder}: install it with `apt-get install dataset-fashion-mnist`");
            return IdxSource.LoadFolder(FashionMnistFolder, FashionMnist, channels, height, width, options);
        }
        if (!Directory.Exists(nameOrPath))
            throw new AutoGradException($"`Data`: dataset '{nameOrPath}' is neither a known name ({string.Join(", ", Names)}) nor an existing folder");

        if (ImageListSource.IsListFolder(nameOrPath)) return ImageListSource.Load(nameOrPath, channels, height, width, options);
        if (ClassFolderSource.IsClassFolder(nameOrPath)) return ClassFolderSource.Load(nameOrPath, channels, height, width, options);
        if (IdxSource.IsIdxFolder(nameOrPath))
            return IdxSource.LoadFolder(nameOrPath, Path.TrimEndingDirectorySeparator(nameOrPath), channels, height, width, options);
        throw new AutoGradException($"{nameOrPath}: no train.txt, train/ folder or train-images-idx3-ubyte[.gz], expected one of these dataset layouts");
    }

    /// <summary>Throws unless channels is 1 or 3 and both sides are in 1..<see cref="MaxSide"/>.</summary>
    internal static void ValidateShape(int channels, int height, int width)
    {
        if (channels is not (1 or 3)) throw new AutoGradException($"channels {channels} must be 1 (grayscale) or 3 (RGB)");
        if (height < 1 || height > MaxSide || width < 1 || width > MaxSide)
            throw new AutoGradException($"image size {height}×{width} must have both sides in 1..{MaxSide}");
    }
}
