using AutoGrad.Models.Data;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace AutoGrad.Tests.Models.Data;

public sealed class ImageListSourceTests : IDisposable
{
    private readonly DataFixtures files = new();

    public ImageListSourceTests()
    {
        files.WriteSolid("images/n01/a.JPEG", 30, 20, new Rgb24(255, 0, 0));
        files.WriteSolid("images/n01/b.JPEG", 10, 40, new Rgb24(250, 0, 0));
        files.WriteSolid("images/n02/c.png", 16, 16, new Rgb24(0, 0, 255));
        files.WriteSolid("images/n02/d.png", 64, 48, new Rgb24(0, 0, 250));
        files.WriteText("val.txt", "images/n02/d.png 1\n");
        files.WriteText("test.txt", "images/n01/b.JPEG 0\nimages/n02/c.png 1\n");
    }

    public void Dispose() => files.Dispose();

    private DataSplits Load() => DatasetCatalog.Load(files.Root, 3, 8, 8, DataFixtures.Options());

    private void Train(string text) => files.WriteText("train.txt", text);

    [Fact]
    public void GoodListsLoadAllSplitsWithSynsetClasses()
    {
        Train("images/n01/a.JPEG 0\nimages/n02/c.png 1\r\nimages/n02/d.png 1\n\n");
        using var splits = Load();
        Assert.Equal(["n01", "n02"], splits.Train.Classes);
        Assert.Equal([0, 1, 1], splits.Train.Labels);
        Assert.Equal(1, splits.Validation!.Count);
        Assert.Equal(2, splits.Test.Count);
        Assert.Equal(files.PathOf("images/n02/c.png"), splits.Train.SourcePaths![1]);
        Assert.Equal(files.PathOf("train.txt"), splits.Train.Name);
        Assert.InRange(splits.Train.Sample(0)[0], 250, 255);          // red plane of a red image
        Assert.InRange(splits.Train.Sample(1)[2 * 64], 250, 255);     // blue plane of a blue image
    }

    [Fact]
    public void ValidationListIsOptional()
    {
        Train("images/n01/a.JPEG 0\nimages/n02/c.png 1\n");
        File.Delete(files.PathOf("val.txt"));
        using var splits = Load();
        Assert.Null(splits.Validation);
    }

    [Theory]
    [InlineData("images/n01/a.JPEG 0\nimages/n02/c.png\n", ":2:", "malformed")]
    [InlineData("images/n01/a.JPEG  0\n", ":1:", "malformed")]
    [InlineData("images/n01/a.JPEG 0\nimages/n02/c.png -1\n", ":2:", "non-negative integer")]
    [InlineData("images/n01/a.JPEG zero\n", ":1:", "non-negative integer")]
    [InlineData("images/n01/a.JPEG 0\nimages/n01/missing.JPEG 0\n", ":2:", "not found")]
    [InlineData("images/n01/a.JPEG 0\n../outside.png 1\n", ":2:", "without '..'")]
    [InlineData("/etc/passwd 0\n", ":1:", "relative")]
    [InlineData("images/n01/a.JPEG 0\nimages/n02/c.png 0\n", ":2:", "label 0 is class 'n02'")]
    [InlineData("images/n01/a.JPEG 0\nimages/n01/b.JPEG 1\n", ":2:", "class 'n01' has label 1")]
    [InlineData("a-top-level.png 0\n", ":1:", "no class folder")]
    public void BadTrainLineNamesFileAndLine(string train, string line, string reason)
    {
        files.WriteSolid("a-top-level.png", 4, 4, new Rgb24(1, 2, 3));
        Train(train);
        DataFixtures.AssertError(() => Load(), "train.txt" + line, reason);
    }

    [Fact]
    public void LabelGapIsAnError()
    {
        Train("images/n01/a.JPEG 0\nimages/n02/c.png 2\n");
        DataFixtures.AssertError(() => Load(), "train.txt", "label 1 never occurs");
    }

    [Fact]
    public void TestLabelOutsideTrainClassesIsOutOfRange()
    {
        Train("images/n01/a.JPEG 0\nimages/n02/c.png 1\n");
        files.WriteText("test.txt", "images/n01/b.JPEG 0\nimages/n02/d.png 5\n");
        DataFixtures.AssertError(() => Load(), "test.txt:2:", "out of range");
    }

    [Fact]
    public void EmptySplitIsAnError()
    {
        Train("images/n01/a.JPEG 0\n");
        files.WriteText("test.txt", "\n");
        DataFixtures.AssertError(() => Load(), "test.txt", "no samples");
    }

    [Fact]
    public void MissingTestListIsAnError()
    {
        Train("images/n01/a.JPEG 0\n");
        File.Delete(files.PathOf("test.txt"));
        DataFixtures.AssertError(() => Load(), "test.txt");
    }
}
