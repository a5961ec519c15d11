using AutoGrad.Models.Data;
using Xunit;

namespace AutoGrad.Tests.Models.Data;

public sealed class DatasetCatalogTests : IDisposable
{
    private readonly DataFixtures files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void NamesListTheBuiltInSets() =>
        Assert.Equal(["fashion-mnist-mini", "fashion-mnist"], DatasetCatalog.Names);

    [Theory]
    [InlineData(2, 8, 8, "channels 2")]
    [InlineData(3, 0, 8, "image size 0×8")]
    [InlineData(1, 8, 5000, "1..4096")]
    public void BadShapeIsRejected(int channels, int height, int width, string fragment) =>
        DataFixtures.AssertError(() => DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, channels, height, width), fragment);

    [Fact]
    public void UnknownNameListsTheKnownOnes() =>
        DataFixtures.AssertError(() => DatasetCatalog.Load("no-such-set", 1, 8, 8), "'no-such-set'", "fashion-mnist-mini");

    [Fact]
    public void FolderWithoutAKnownLayoutIsRejected() =>
        DataFixtures.AssertError(() => DatasetCatalog.Load(files.Root, 1, 8, 8), files.Root, "train.txt");

    [Fact]
    public void ZeroParallelismIsRejected() =>
        DataFixtures.AssertError(() => DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, 1, 8, 8,
            new DataLoadOptions { MaxDegreeOfParallelism = 0 }), "MaxDegreeOfParallelism 0");

    [Fact]
    public void FromBytesValidatesLengthsAndLabels()
    {
        DataFixtures.AssertError(() => ImageDataset.FromBytes("d", ["a"], 1, 2, 2, new byte[7], [0, 0]), "7 pixel bytes");
        DataFixtures.AssertError(() => ImageDataset.FromBytes("d", ["a"], 1, 2, 2, new byte[8], [0, 1]), "label 1 of sample 1");
        var data = ImageDataset.FromBytes("d", ["a"], 1, 2, 2, new byte[8], [0, 0]);
        DataFixtures.AssertError(() => data.Sample(2), "sample index 2");
    }

    [Fact]
    public void ProgressIsLogged()
    {
        var log = new List<string>();
        using var splits = DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, 1, 14, 14, DataFixtures.Options() with { Log = log.Add });
        Assert.Contains(log, l => l.Contains("fashion-mnist-mini/train") && l.Contains("converting 10000"));
    }
}
