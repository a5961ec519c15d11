using System.Diagnostics;

namespace AutoGrad.Models.Data;

/// <summary>
/// Decodes a split's image files in parallel, once, into a <see cref="SampleStore"/>. Bad files do not stop
/// the decode: every failure is collected so one error can report them all (and a skip-bad-images mode can
/// drop them instead).
/// </summary>
internal static class ImageSetLoader
{
    /// <summary>How many bad files the error message names before summarising the rest.</summary>
    public const int ShownFailures = 5;

    /// <summary>Decodes and wraps a split; throws one <see cref="AutoGradException"/> listing the bad files if any.</summary>
    public static ImageDataset Load(LabeledFiles files, IReadOnlyList<string> classes, int channels, int height, int width,
        DataLoadOptions options)
    {
        var dataset = Wrap(files, classes, channels, height, width, options);
        if (options.Share is { } share)
            options.Log?.Invoke($"{files.Name}: sample hash {SharedDecode.CheckSameSamples(share, dataset):x16} on all {share.Parts} ranks");
        return dataset;
    }

    private static ImageDataset Wrap(LabeledFiles files, IReadOnlyList<string> classes, int channels, int height, int width,
        DataLoadOptions options)
    {
        var store = DecodeAll(files, channels, height, width, options, out var failures);
        if (failures.Count > 0 && (!options.SkipBadImages || failures.Count == files.Paths.Length))
        {
            store.Dispose();
            throw new AutoGradException(DescribeFailures(files.Name, failures, files.Paths.Length)
                + (options.SkipBadImages ? "" : "; set `SkipBadImages` to train on the rest"));
        }
        if (failures.Count > 0)
        {
            var bad = failures.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            var keep = Enumerable.Range(0, files.Paths.Length).Where(i => !bad.Contains(files.Paths[i])).ToArray();
            options.Log?.Invoke($"{files.Name}: skipped {failures.Count} of {files.Paths.Length} images that could not be decoded (first: {failures[0].Path})");
            return new ImageDataset(files.Name, classes, channels, height, width, new SubsetSampleStore(store, keep),
                keep.Select(i => files.Labels[i]).ToArray(), Array.AsReadOnly(keep.Select(i => files.Paths[i]).ToArray())) { SkippedFiles = failures };
        }
        return new ImageDataset(files.Name, classes, channels, height, width, store, files.Labels, Array.AsReadOnly(files.Paths));
    }

    /// <summary>
    /// Decodes every file of <paramref name="files"/>; <paramref name="failures"/> gets (path, reason) of each
    /// file that could not be decoded, in sample order, and those samples are left zero. With
    /// <see cref="DataLoadOptions.Share"/> this process decodes only its share and the parts exchange the rest.
    /// </summary>
    public static SampleStore DecodeAll(LabeledFiles files, int channels, int height, int width, DataLoadOptions options,
        out List<(string Path, string Reason)> failures)
    {
        int count = files.Paths.Length;
        Debug.Assert(count > 0 && count == files.Labels.Length);
        var share = options.Share;
        int part = share?.Part ?? 0, parts = share?.Parts ?? 1;
        if (share is not null) SharedDecode.CheckSameFiles(share, files);
        var store = SampleCache.Allocate(files.Name, count, channels, height, width, options,
            () => SampleCache.FileIdentity(files.Paths), out bool filled);
        failures = [];
        // A cache file is used only when every rank has one; otherwise all decode, so every rank makes the same collectives.
        if (share is not null) filled = SharedDecode.All(share, filled);
        if (filled) return store;

        var errors = new string?[count];
        var clock = Stopwatch.StartNew();
        var logLock = new object();
        int mine = SharedDecode.CountOf(count, part, parts);
        int done = 0, step = Math.Max(1, mine / 10);
        int threads = Math.Max(1, options.MaxDegreeOfParallelism);
        options.Log?.Invoke(share is null
            ? $"{files.Name}: decoding {count} images to {channels}×{height}×{width} on {threads} threads"
            : $"{files.Name}: decoding {count} images to {channels}×{height}×{width} on {parts} ranks × {threads} threads (this rank: {mine})");
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, mine, parallel, ImageConverter.CreateConfiguration, (k, _, config) =>
        {
            int i = part + k * parts;
            try
            {
                ImageConverter.DecodeFile(files.Paths[i], channels, height, width, config, store.Slot(i));
            }
            catch (AutoGradException e)
            {
                string message = e.Message, prefix = files.Paths[i] + ": ";
                errors[i] = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
                store.Slot(i).Clear();
            }
            int n = Interlocked.Increment(ref done);
            if (options.Log is { } log && n % step == 0)
                lock (logLock) log($"{files.Name}: {n}/{mine} decoded ({clock.Elapsed.TotalSeconds:F1} s)");
            return config;
        }, _ => { });
        if (share is not null) Exchange(share, files, store, errors, done, options, clock);

        for (int i = 0; i < count; i++)
            if (errors[i] is { } reason) failures.Add((files.Paths[i], reason));
        if (failures.Count == 0) SampleCache.Commit(store);
        options.Log?.Invoke($"{files.Name}: decoded {count - failures.Count} of {count} images in {clock.Elapsed.TotalSeconds:F1} s");
        return store;
    }

    // Failures first (small), so that under the default fail mode the ranks that met a bad image end the job with
    // their own error (rank 0 names the rank) before gigabytes of samples move; the others wait for that.
    private static void Exchange(IDecodeShare share, LabeledFiles files, SampleStore store, string?[] errors, int decodedHere, DataLoadOptions options, Stopwatch clock)
    {
        double decodedAt = clock.Elapsed.TotalSeconds;
        var decoded = share.AllGather(decodedHere);   // decode calls made on each rank, for the log
        double waited = clock.Elapsed.TotalSeconds - decodedAt;   // for the slowest rank to finish its share
        var failing = SharedDecode.ShareErrors(share, errors);
        int bad = errors.Count(e => e is not null);
        if (failing.Count > 0 && (!options.SkipBadImages || bad == errors.Length))
        {
            if (!failing.Contains(share.Part)) share.AwaitFault($"{files.Name}: rank {failing[0]} reported images that could not be decoded");
            return;   // the caller throws this rank's error, which lists every rank's bad files
        }
        double before = clock.Elapsed.TotalSeconds;
        SharedDecode.ShareSamples(share, store);
        options.Log?.Invoke($"{files.Name}: ranks decoded {string.Join(" + ", decoded)} images; waited {waited:F1} s for the other ranks, exchanged the samples in {clock.Elapsed.TotalSeconds - before:F1} s");
    }

    /// <summary>One line: how many failed, then the first <see cref="ShownFailures"/> paths with their reasons.</summary>
    public static string DescribeFailures(string name, IReadOnlyList<(string Path, string Reason)> failures, int total)
    {
        var shown = failures.Take(ShownFailures).Select(f => $"{f.Path} ({f.Reason})");
        string more = failures.Count > ShownFailures ? $"; and {failures.Count - ShownFailures} more" : "";
        return $"{name}: {failures.Count} of {total} images could not be decoded: {string.Join("; ", shown)}{more}";
    }
}
