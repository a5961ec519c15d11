using AutoGrad.Models.Data;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace AutoGrad.Tests.Models.Data;

public sealed class ClassFolderSourceTests : IDisposable
{
    private readonly DataFixtures files = new();

    public ClassFolderSourceTests()
    {
        foreach (string split in new[] { "train", "test" })
        {
            files.WriteSolid($"{split}/dog/1.JPG", 20, 30, new Rgb24(0, 255, 0));
            files.WriteSolid($"{split}/cat/2.png", 12, 12, new Rgb24(255, 0, 0));
            files.WriteSolid($"{split}/cat/1.jpeg", 50, 10, new Rgb24(255, 0, 0));
            files.WriteSolid($"{split}/Bird/x.bmp", 7, 7, new Rgb24(0, 0, 255));
        }
        files.WriteText("train/cat/notes.txt", "not an image, and ignored by extension");
    }

    public void Dispose() => files.Dispose();

    [Fact]
    public void ClassesAreSortedOrdinallyAndExtensionsMatchAnyCase()
    {
        using var splits = DatasetCatalog.Load(files.Root, 1, 6, 6, DataFixtures.Options());
        Assert.Equal(["Bird", "cat", "dog"], splits.Train.Classes);
        Assert.Equal([0, 1, 1, 2], splits.Train.Labels);
        Assert.EndsWith(Path.Combine("cat", "1.jpeg"), splits.Train.SourcePaths![1]);
        Assert.Null(splits.Validation);
        Assert.Equal(4, splits.Test.Count);
        Assert.InRange(splits.Train.Sample(3)[0], 180, 184);   // green → luminance 0.7152 × 255
        Assert.Equal(36, splits.Train.SampleSize);
    }

    [Fact]
    public void OptionalValidationFolderIsLoaded()
    {
        files.WriteSolid("val/Bird/v.png", 5, 5, new Rgb24(9, 9, 9));
        Directory.CreateDirectory(files.PathOf("val/cat"));
        Directory.CreateDirectory(files.PathOf("val/dog"));
        using var splits = DatasetCatalog.Load(files.Root, 3, 4, 4, DataFixtures.Options());
        Assert.Equal(1, splits.Validation!.Count);
        Assert.Equal(0, splits.Validation.Label(0));
    }

    [Fact]
    public void TestClassesMustMatchTrain()
    {
        files.WriteSolid("test/zebra/z.png", 5, 5, new Rgb24(9, 9, 9));
        DataFixtures.AssertError(() => DatasetCatalog.Load(files.Root, 3, 4, 4, DataFixtures.Options()),
            "test", "extra: [zebra]");
    }

    [Fact]
    public void MissingTestFolderIsAnError()
    {
        Directory.Delete(files.PathOf("test"), recursive: true);
        DataFixtures.AssertError(() => DatasetCatalog.Load(files.Root, 3, 4, 4, DataFixtures.Options()), "no test folder");
    }
}
