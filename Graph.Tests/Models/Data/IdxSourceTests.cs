using AutoGrad.Models.Data;
using Xunit;

namespace AutoGrad.Tests.Models.Data;

public sealed class IdxSourceTests : IDisposable
{
    private readonly DataFixtures files = new();

    public void Dispose() => files.Dispose();

    private static byte[][] Images(int count, int rows, int cols) =>
        Enumerable.Range(0, count).Select(i => Enumerable.Range(0, rows * cols).Select(p => (byte)(i * 7 + p)).ToArray()).ToArray();

    private void WriteSet(string folder, bool gzip, int rows = 4, int cols = 5)
    {
        files.WriteIdx(folder, "train", Images(6, rows, cols), rows, cols, [0, 1, 2, 3, 4, 9], gzip);
        files.WriteIdx(folder, "t10k", Images(3, rows, cols), rows, cols, [5, 6, 7], gzip);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RoundTripsValuesGzippedOrRaw(bool gzip)
    {
        WriteSet("digits", gzip);
        using var splits = DatasetCatalog.Load(files.PathOf("digits"), 1, 4, 5, DataFixtures.Options());
        Assert.Equal(6, splits.Train.Count);
        Assert.Equal(3, splits.Test.Count);
        Assert.Equal([0, 1, 2, 3, 4, 9], splits.Train.Labels);
        Assert.Equal(Images(6, 4, 5)[4], splits.Train.Sample(4).ToArray());
        Assert.Equal(Enumerable.Range(0, 10).Select(k => k.ToString()), splits.Train.Classes);
        Assert.Null(splits.Train.SourcePaths);
    }

    [Fact]
    public void FashionFolderGetsFashionClassNames()
    {
        WriteSet("my-Fashion-set", gzip: true);
        using var splits = DatasetCatalog.Load(files.PathOf("my-Fashion-set"), 1, 4, 5, DataFixtures.Options());
        Assert.Equal("Ankle boot", splits.Train.Classes[9]);
        Assert.Equal("T-shirt/top", splits.Test.Classes[0]);
    }

    [Fact]
    public void ResizesAndReplicatesWhenShapeDiffers()
    {
        WriteSet("digits", gzip: false, rows: 28, cols: 28);
        using var splits = DatasetCatalog.Load(files.PathOf("digits"), 3, 32, 32, DataFixtures.Options());
        Assert.Equal(3 * 32 * 32, splits.Train.SampleSize);
        var s = splits.Train.Sample(2);
        Assert.True(s[..1024].SequenceEqual(s.Slice(2048, 1024)));
    }

    [Fact]
    public void BadMagicNamesTheFile()
    {
        WriteSet("digits", gzip: false);
        string path = files.PathOf("digits/train-images-idx3-ubyte");
        byte[] data = File.ReadAllBytes(path);
        data[3] = 0x01;
        File.WriteAllBytes(path, data);
        DataFixtures.AssertError(() => DatasetCatalog.Load(files.PathOf("digits"), 1, 4, 5), "train-images-idx3-ubyte", "magic 0x00000801");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TruncatedFileNamesTheFile(bool gzip)
    {
        WriteSet("digits", gzip);
        string path = files.PathOf("digits/t10k-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        byte[] full = DataFixtures.IdxImages(Images(3, 4, 5), 4, 5);
        DataFixtures.WriteBytes(path, full[..^7], gzip);
        DataFixtures.AssertError(() => DatasetCatalog.Load(files.PathOf("digits"), 1, 4, 5), "t10k-images-idx3-ubyte", "truncated");
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        byte[] labels = [.. DataFixtures.IdxLabels([1, 2]), 9];
        DataFixtures.AssertError(() => IdxReader.ParseLabels(labels, "labels.idx"), "labels.idx", "1 unexpected bytes");
    }

    [Fact]
    public void CountMismatchNamesBothFiles()
    {
        WriteSet("digits", gzip: true);
        DataFixtures.WriteBytes(files.PathOf("digits/train-labels-idx1-ubyte.gz"), DataFixtures.IdxLabels([1, 2, 3]), gzip: true);
        DataFixtures.AssertError(() => DatasetCatalog.Load(files.PathOf("digits"), 1, 4, 5),
            "train-labels-idx1-ubyte.gz: 3 labels", "has 6 images");
    }

    [Fact]
    public void AbsurdDimensionIsRejected()
    {
        byte[] header = DataFixtures.IdxImages([], 4, 5);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 100_000);
        DataFixtures.AssertError(() => IdxReader.ParseImages(header, "big.idx"), "big.idx", "rows = 100000");
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        WriteSet("digits", gzip: true);
        File.Delete(files.PathOf("digits/t10k-labels-idx1-ubyte.gz"));
        DataFixtures.AssertError(() => DatasetCatalog.Load(files.PathOf("digits"), 1, 4, 5), "missing IDX file t10k-labels-idx1-ubyte");
    }

    [Theory]
    [InlineData(0)]        // empty member
    [InlineData(1000)]
    [InlineData(100_000)]
    public void GunzipsToExactlyTheOriginalBytesWhateverTheTrailerSays(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)(i * 7 % 251)).ToArray();
        byte[] Gzip(byte[] bytes)
        {
            using var output = new MemoryStream();
            using (var gz = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
            return output.ToArray();
        }
        // One member: the trailer's size is exact and sizes the buffer.
        Assert.Equal(data, IdxReader.ReadAll(new MemoryStream(Gzip(data)), "one.gz"));
        // Two members: the trailer gives only the last member's size (two thirds), too small, so the buffer grows
        // past the total (doubling) and must be cut to it.
        var third = data.Length / 3;
        var twoMembers = Gzip(data[..third]).Concat(Gzip(data[third..])).ToArray();
        Assert.Equal(data, IdxReader.ReadAll(new MemoryStream(twoMembers), "two.gz"));
        // A stream that cannot seek is read without a size to start from.
        Assert.Equal(data, IdxReader.ReadAll(new System.IO.Compression.GZipStream(new MemoryStream(Gzip(Gzip(data))), System.IO.Compression.CompressionMode.Decompress), "nested.gz"));
    }
}
