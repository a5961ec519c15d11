namespace AutoGrad.Models.Data;

/// <summary>How <see cref="DatasetCatalog.Load"/> decodes and where it keeps the decoded samples.</summary>
public sealed record DataLoadOptions
{
    /// <summary>The default in-memory budget for one split's decoded bytes: 2 GiB.</summary>
    public const long DefaultMemoryBudgetBytes = 2L << 30;

    /// <summary>Images decoded at once (each decode is single-threaded). Defaults to the processor count.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Folder for decoded-sample cache files of splits over the memory budget. When set, a cache file is
    /// reused by later runs as long as the source files (paths, sizes, times) and the target shape are
    /// unchanged; when null, a temporary file is used and deleted when the dataset is disposed.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// Train on the images that decode and report how many were skipped, instead of failing with the list of
    /// bad files (the default: the whole data set is validated before training starts).
    /// </summary>
    public bool SkipBadImages { get; init; }

    /// <summary>
    /// Called with the class count once the files are listed and the labels checked, before any image is
    /// decoded or parameter allocated; an exception thrown here (e.g. from <see cref="Training.MemoryCheck"/>)
    /// stops the load. Lets a caller refuse a run that cannot fit without paying for the decode first.
    /// </summary>
    public Action<int>? BeforeDecode { get; init; }

    /// <summary>Receives progress messages (one line each); called from one thread at a time.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Splits the decode among cooperating processes (data-parallel ranks; set by the distributed layer): each
    /// decodes its share and the samples are exchanged, so every process ends with the same store. Null alone.
    /// </summary>
    internal IDecodeShare? Share { get; init; }

    /// <summary>Splits whose decoded bytes exceed this go to a memory-mapped file. Internal so tests can force the spill.</summary>
    internal long MemoryBudgetBytes { get; init; } = DefaultMemoryBudgetBytes;
}
