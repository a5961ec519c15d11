using System.Collections.ObjectModel;
using System.Diagnostics;

namespace AutoGrad.Models.Data;

/// <summary>
/// Decoded, resized images held as bytes 0..255 in CHW order per sample, plus their labels. Samples are
/// decoded once at load; sets over the memory budget are kept in a memory-mapped file, so memory stays
/// bounded however large the set. Reading is thread-safe; disposing releases the mapped file.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    private readonly SampleStore store;
    private readonly int[] labels;

    internal ImageDataset(string name, IReadOnlyList<string> classes, int channels, int height, int width,
        SampleStore store, int[] labels, IReadOnlyList<string>? sourcePaths)
    {
        Debug.Assert(store.Count == labels.Length && store.SampleSize == channels * height * width);
        Debug.Assert(sourcePaths is null || sourcePaths.Count == labels.Length);
        Name = name;
        Classes = classes;
        Channels = channels;
        Height = height;
        Width = width;
        this.store = store;
        this.labels = labels;
        Labels = new ReadOnlyCollection<int>(labels);
        SourcePaths = sourcePaths;
    }

    /// <summary>Where the set came from, e.g. "fashion-mnist-mini/train" or the list file or folder path.</summary>
    public string Name { get; }

    /// <summary>Class names; label k names <c>Classes[k]</c>.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>1 (grayscale) or 3 (RGB) for loaded sets.</summary>
    public int Channels { get; }

    /// <summary>Rows per sample.</summary>
    public int Height { get; }

    /// <summary>Columns per sample.</summary>
    public int Width { get; }

    /// <summary>Number of samples.</summary>
    public int Count => labels.Length;

    /// <summary>Bytes per sample: Channels × Height × Width.</summary>
    public int SampleSize => Channels * Height * Width;

    /// <summary>Every label, in sample order.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The image file of each sample when loaded from image files; null for IDX or in-memory sets.</summary>
    public IReadOnlyList<string>? SourcePaths { get; }

    /// <summary>Images left out because they could not be decoded or end early (with <see cref="DataLoadOptions.SkipBadImages"/>), with the reason.</summary>
    public IReadOnlyList<(string Path, string Reason)> SkippedFiles { get; init; } = [];

    /// <summary>How many images were left out: <see cref="SkippedFiles"/>' count.</summary>
    public int Skipped => SkippedFiles.Count;

    /// <summary>True when the samples live in a memory-mapped file rather than managed memory.</summary>
    internal bool IsMapped => store is MappedSampleStore;

    /// <summary>The mapped sample file, when there is one.</summary>
    internal string? MappedFilePath => (store as MappedSampleStore)?.FilePath;

    /// <summary>Sample <paramref name="index"/> as CHW bytes (channel planes of Height rows of Width pixels).</summary>
    public ReadOnlySpan<byte> Sample(int index)
    {
        if ((uint)index >= (uint)labels.Length)
            throw new AutoGradException($"sample index {index} is outside 0..{labels.Length - 1} of dataset '{Name}'");
        return store.Slot(index);
    }

    /// <summary>The class index of sample <paramref name="index"/>.</summary>
    public int Label(int index)
    {
        if ((uint)index >= (uint)labels.Length)
            throw new AutoGradException($"sample index {index} is outside 0..{labels.Length - 1} of dataset '{Name}'");
        return labels[index];
    }

    /// <summary>
    /// An in-memory dataset over <paramref name="pixels"/> (labels.Length samples of CHW bytes, not copied),
    /// for synthetic data and tests. Any positive channel count is accepted here.
    /// </summary>
    public static ImageDataset FromBytes(string name, IReadOnlyList<string> classes, int channels, int height, int width,
        byte[] pixels, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classes);
        if (channels < 1 || height < 1 || width < 1)
            throw new AutoGradException($"dataset '{name}': sample shape {channels}×{height}×{width} must be positive");
        if (labels.Length == 0) throw new AutoGradException($"dataset '{name}' has no samples");
        long expected = (long)labels.Length * channels * height * width;
        if (pixels.Length != expected)
            throw new AutoGradException($"dataset '{name}': {pixels.Length} pixel bytes, expected {labels.Length} samples × {channels}×{height}×{width} = {expected}");
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classes.Count)
                throw new AutoGradException($"dataset '{name}': label {labels[i]} of sample {i} is outside 0..{classes.Count - 1}");
        var store = new InMemorySampleStore(pixels, labels.Length, channels * height * width);
        return new ImageDataset(name, classes, channels, height, width, store, labels, null);
    }

    /// <summary>Releases the memory-mapped sample file, if any; the dataset is unusable afterwards.</summary>
    public void Dispose() => store.Dispose();
}
