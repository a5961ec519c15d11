using AutoGrad.Models.Data;

namespace AutoGrad.Tests.Models.Data;

/// <summary>
/// The loader's split decode with the parts as threads of this process (no MPI): each part decodes every
/// second file and the parts end with the samples of a single-process load, through the memory-mapped spill
/// and its disk cache too (each part with its own cache folder, as on hosts without a shared disk).
/// </summary>
public class SharedDecodeTests
{
    /// <summary>Collectives between threads: every call is a rendezvous of all parts (a barrier with a timeout, so a mismatch fails instead of hanging).</summary>
    private sealed class Group(int parts) : IDisposable
    {
        public readonly Barrier Barrier = new(parts);
        public readonly long[] Values = new long[parts];
        public byte[] Sent = [];
        public int Parts => parts;

        public void Meet()
        {
            if (!Barrier.SignalAndWait(TimeSpan.FromSeconds(30))) throw new TimeoutException("a part did not join the collective");
        }

        public void Dispose() => Barrier.Dispose();
    }

    private sealed class ThreadShare(Group group, int part) : IDecodeShare
    {
        public int Part => part;
        public int Parts => group.Parts;

        public long[] AllGather(long value)
        {
            group.Values[part] = value;
            group.Meet();
            var all = (long[])group.Values.Clone();
            group.Meet();
            return all;
        }

        public void Broadcast(byte[] buffer, int count, int root)
        {
            if (part == root) group.Sent = buffer;
            group.Meet();
            if (part != root) group.Sent.AsSpan(0, count).CopyTo(buffer);
            group.Meet();
        }

        public void AwaitFault(string reason) => throw new InvalidOperationException("awaited another part's fault: " + reason);
    }

    private static DataFixtures ImageSet(int perClass)
    {
        var files = new DataFixtures();
        foreach (var (cls, tone) in new[] { ("a", 30), ("b", 150), ("c", 220) })
            for (int i = 0; i < perClass; i++)
            {
                files.WriteHalves($"set/train/{cls}/{i}.png", 12, 10, new((byte)tone, 0, (byte)i), new(0, (byte)(5 * i), (byte)tone));
                files.WriteGray($"set/test/{cls}/{i}.png", 12, 10, (byte)(tone + i));
            }
        return files;
    }

    /// <summary>Loads on <paramref name="parts"/> threads at once; returns each part's train hash, skip list and log.</summary>
    private static (ulong Hash, string Skipped, List<string> Log)[] LoadShared(DataFixtures files, int parts, Func<int, DataLoadOptions> options)
    {
        using var group = new Group(parts);
        var results = new (ulong, string, List<string>)[parts];
        var errors = new Exception?[parts];
        var threads = Enumerable.Range(0, parts).Select(p => new Thread(() =>
        {
            try
            {
                var log = new List<string>();
                using var splits = DatasetCatalog.Load(files.PathOf("set"), 3, 8, 8, options(p) with { Share = new ThreadShare(group, p), Log = log.Add });
                results[p] = (SharedDecode.Hash(splits.Train), string.Join(";", splits.Train.SkippedFiles.Select(f => f.Path)), log);
            }
            catch (Exception e) { errors[p] = e; }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromMinutes(1))));
        if (errors.FirstOrDefault(e => e is not null) is { } error) throw new InvalidOperationException("a part failed", error);
        return results;
    }

    [Fact]
    public void EachPartDecodesEverySecondFileAndEndsWithTheSingleProcessSamples()
    {
        using var files = ImageSet(perClass: 5);   // 15 files: part 0 decodes 8, part 1 decodes 7
        using var alone = DatasetCatalog.Load(files.PathOf("set"), 3, 8, 8, DataFixtures.Options());
        var parts = LoadShared(files, 2, _ => DataFixtures.Options());
        foreach (var (hash, _, log) in parts)
        {
            Assert.Equal(SharedDecode.Hash(alone.Train), hash);
            Assert.Contains(log, l => l.Contains("train: ranks decoded 8 + 7 images", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void SkippedFilesAreTheSameOnEveryPartWhicheverPartMetThem()
    {
        using var files = ImageSet(perClass: 4);
        files.WriteText("set/train/a/2.png", "broken");   // index 2: part 0's
        files.WriteText("set/train/c/1.png", "broken");   // index 9: part 1's
        using var alone = DatasetCatalog.Load(files.PathOf("set"), 3, 8, 8, DataFixtures.Options() with { SkipBadImages = true });
        var parts = LoadShared(files, 2, _ => DataFixtures.Options() with { SkipBadImages = true });
        string expected = string.Join(";", alone.Train.SkippedFiles.Select(f => f.Path));
        Assert.Equal(2, alone.Train.Skipped);
        foreach (var (hash, skipped, _) in parts)
        {
            Assert.Equal(SharedDecode.Hash(alone.Train), hash);
            Assert.Equal(expected, skipped);
        }
    }

    [Fact]
    public void SpilledPartsFillAndThenReuseTheirOwnCacheFiles()
    {
        using var files = ImageSet(perClass: 5);
        using var alone = DatasetCatalog.Load(files.PathOf("set"), 3, 8, 8, DataFixtures.Options());
        DataLoadOptions Spill(int p) => DataFixtures.Options(memoryBudget: 64) with { CacheDirectory = files.PathOf($"cache{p}") };
        foreach (bool second in new[] { false, true })
            foreach (var (hash, _, log) in LoadShared(files, 2, Spill))
            {
                Assert.Equal(SharedDecode.Hash(alone.Train), hash);
                Assert.Equal(second, log.Any(l => l.Contains("train: reusing decoded samples", StringComparison.Ordinal)));
            }
        // One part losing its cache makes both decode again (the same collectives on every part), with the same result.
        foreach (var done in Directory.GetFiles(files.PathOf("cache1"), "*.done")) File.Delete(done);
        foreach (var (hash, _, log) in LoadShared(files, 2, Spill))
        {
            Assert.Equal(SharedDecode.Hash(alone.Train), hash);
            Assert.Contains(log, l => l.Contains("train: ranks decoded 8 + 7 images", StringComparison.Ordinal));
        }
    }
}
