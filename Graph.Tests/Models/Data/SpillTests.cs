using AutoGrad.Models.Data;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace AutoGrad.Tests.Models.Data;

public sealed class SpillTests : IDisposable
{
    private readonly DataFixtures files = new();

    public void Dispose() => files.Dispose();

    private static void AssertSameSamples(ImageDataset expected, ImageDataset actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Labels, actual.Labels);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(expected.Sample(i).SequenceEqual(actual.Sample(i)), $"sample {i} differs");
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void MappedIdxSamplesEqualInMemorySamples()
    {
        using var memory = DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, 3, 30, 30, DataFixtures.Options());
        using var mapped = DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, 3, 30, 30, DataFixtures.Options(memoryBudget: 1000));
        Assert.False(memory.Test.IsMapped);
        Assert.True(mapped.Test.IsMapped);
        AssertSameSamples(memory.Test, mapped.Test);
        AssertSameSamples(memory.Train, mapped.Train);
    }

    [Fact]
    public void MappedImageFilesEqualInMemoryAndCacheIsReused()
    {
        var rng = new Random(5);
        for (int i = 0; i < 12; i++)
        {
            var color = new Rgb24((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
            string split = i < 8 ? "train" : "test";
            files.WriteHalves($"set/{split}/c{i % 2}/{i}.png", 10 + i, 7 + i, color, new Rgb24(color.B, color.R, color.G));
        }
        string set = files.PathOf("set"), cache = files.PathOf("cache");
        using var memory = DatasetCatalog.Load(set, 3, 6, 6, DataFixtures.Options());
        var spill = DataFixtures.Options(memoryBudget: 100) with { CacheDirectory = cache };
        using (var mapped = DatasetCatalog.Load(set, 3, 6, 6, spill))
        {
            Assert.True(mapped.Train.IsMapped);
            AssertSameSamples(memory.Train, mapped.Train);
            AssertSameSamples(memory.Test, mapped.Test);
        }
        Assert.Equal(2, Directory.GetFiles(cache, "*.done").Length);

        // Second run with the same files and shape: the finished cache file is mapped instead of decoding.
        var log = new List<string>();
        using (var again = DatasetCatalog.Load(set, 3, 6, 6, spill with { Log = log.Add }))
            AssertSameSamples(memory.Train, again.Train);
        Assert.Contains(log, l => l.Contains("reusing decoded samples"));

        // A different shape must not hit the same cache file.
        using (DatasetCatalog.Load(set, 3, 5, 6, spill)) { }
        Assert.Equal(4, Directory.GetFiles(cache, "*.done").Length);
    }

    [Fact]
    public void TemporarySpillFileIsDeletedOnDispose()
    {
        var splits = DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, 1, 8, 8, DataFixtures.Options(memoryBudget: 1000));
        string[] paths = [splits.Train.MappedFilePath!, splits.Test.MappedFilePath!];
        Assert.All(paths, p => Assert.True(File.Exists(p), $"{p} should exist while the splits are open"));
        Assert.All(paths, p => Assert.StartsWith(Path.GetTempPath(), p));
        splits.Dispose();
        Assert.All(paths, p => Assert.False(File.Exists(p), $"{p} should be deleted on dispose"));
    }
}
