using System.Security.Cryptography;
using System.Text;

namespace AutoGrad.Models.Data;

/// <summary>
/// Chooses where a split's decoded samples live and, when <see cref="DataLoadOptions.CacheDirectory"/> is
/// set, reuses a finished cache file from an earlier run. A cache file counts as finished only once its
/// ".done" marker exists, written after a flush, so an interrupted decode is redone rather than trusted.
/// </summary>
internal static class SampleCache
{
    // Bump when the decoded bytes would change for the same inputs (resampler, colour conversion, layout).
    private const string FormatVersion = "autograd-samples-v1";

    /// <summary>
    /// A store for <paramref name="count"/> samples; <paramref name="filled"/> is true when it was read back
    /// complete from the cache. <paramref name="identity"/> describes the source (paths, sizes, times) and is
    /// only evaluated when a persistent cache file is needed.
    /// </summary>
    public static SampleStore Allocate(string name, int count, int channels, int height, int width, DataLoadOptions options,
        Func<IEnumerable<string>> identity, out bool filled)
    {
        filled = false;
        int sampleSize = channels * height * width;
        long bytes = (long)count * sampleSize;
        if (bytes <= options.MemoryBudgetBytes) return SampleStore.Create(count, sampleSize, options.MemoryBudgetBytes, null);
        string? file = null;
        if (options.CacheDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            file = Path.Combine(dir, Key(identity(), count, $"{channels}x{height}x{width}") + ".u8");
        }
        var store = SampleStore.Create(count, sampleSize, options.MemoryBudgetBytes, file);
        filled = file is not null && File.Exists(file + ".done");
        options.Log?.Invoke(filled
            ? $"{name}: reusing decoded samples in {file}"
            : $"{name}: {bytes / (1 << 20)} MiB of samples exceed the {options.MemoryBudgetBytes / (1 << 20)} MiB memory budget; spilling to {file ?? "a temporary file"}");
        return store;
    }

    /// <summary>Marks a completely written store as reusable by later runs (no-op for memory and temporary stores).</summary>
    public static void Commit(SampleStore store)
    {
        store.Flush();
        if (store is MappedSampleStore { Temporary: false, FilePath: { } path })
            File.WriteAllText(path + ".done", FormatVersion);
    }

    /// <summary>Identity lines for image files: path, size and last-write time of each.</summary>
    public static IEnumerable<string> FileIdentity(IEnumerable<string> paths)
    {
        foreach (string path in paths)
        {
            var info = new FileInfo(path);
            yield return $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        }
    }

    private static string Key(IEnumerable<string> identity, int count, string shape)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{FormatVersion}|{count}|{shape}\n"));
        foreach (string line in identity) hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16));
    }
}
