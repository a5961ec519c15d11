using AutoGrad.Models.Data;
using AutoGrad.Tests.Models.Data;
using AutoGrad.Tools.PhotoSet;
using SixLabors.ImageSharp;

namespace AutoGrad.Tests.Tools;

/// <summary>tools/PhotoSet: its output is a data set the list loader reads, and it is a function of the seed alone.</summary>
public class PhotoSetWriterTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void OutputLoadsWithTheListLoader()
    {
        using var files = new DataFixtures();
        var summary = PhotoSetWriter.Write(files.Root, perClass: 3, seed: 5, threads: 2);
        Assert.Equal((50, 50, 50), (summary.Train, summary.Validation, summary.Test));

        using var data = DatasetCatalog.Load(files.Root, 3, 24, 24, DataFixtures.Options());
        Assert.Equal(PhotoClass.All.Select(c => c.Name), data.Train.Classes);
        Assert.Equal(50, data.Train.Count);
        Assert.Equal(50, data.Validation!.Count);
        Assert.Equal(50, data.Test.Count);
        Assert.Equal(Enumerable.Range(0, 50), Enumerable.Range(0, 50).Select(i => data.Test.Label(i)).Order());
    }

    [Fact]
    public void SameSeedSameBytesOtherSeedOtherImage()
    {
        var c = PhotoClass.All[17];
        byte[] first = Jpeg(c, 42), again = Jpeg(c, 42), other = Jpeg(c, 43);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.NotEqual(Rng.Derive(1, 0), Rng.Derive(1, 1));
        Assert.NotEqual(Rng.Derive(1, 0), Rng.Derive(2, 0));
    }

    [Fact]
    public void ImagesAreRgbJpegsOfTheDocumentedSizes()
    {
        var sides = new List<int>();
        for (ulong seed = 0; seed < 12; seed++)
        {
            var info = Image.Identify(Jpeg(PhotoClass.All[(int)seed * 4], seed));
            Assert.Equal(24, info.PixelType.BitsPerPixel);
            sides.Add(info.Width);
            sides.Add(info.Height);
        }
        Assert.All(sides, s => Assert.InRange(s, Scene.MinSide, Scene.MaxSide));
        Assert.True(sides.Distinct().Count() > 12, "sizes should vary per image");
    }

    [Fact]
    public void FiftyClassesAreEveryShapeColourTextureCombination()
    {
        var classes = PhotoClass.All;
        Assert.Equal(50, classes.Count);
        Assert.Equal(Enumerable.Range(0, 50), classes.Select(c => c.Label));
        Assert.Equal(50, classes.Select(c => (c.Shape, c.Hue, c.Texture)).Distinct().Count());
        Assert.Equal(50, classes.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [InlineData(500, 400, 50, 50)]
    [InlineData(3, 1, 1, 1)]
    [InlineData(25, 21, 2, 2)]
    public void SplitKeepsATenthForValidationAndTest(int perClass, int train, int val, int test) =>
        Assert.Equal((train, val, test), PhotoSetWriter.Split(perClass));

    [Theory]
    [InlineData(Outline.Disk)]
    [InlineData(Outline.Square)]
    [InlineData(Outline.Triangle)]
    [InlineData(Outline.Star)]
    [InlineData(Outline.Cross)]
    public void ClassOutlinesHoldTheirCentreAndNotTheFarField(Outline outline)
    {
        Assert.True(OutlineDistance.Of(outline, 0.01, 0.02) < -0.2);
        for (int k = 0; k < 16; k++)
        {
            double angle = k * Math.PI / 8;
            Assert.True(OutlineDistance.Of(outline, 1.3 * Math.Cos(angle), 1.3 * Math.Sin(angle)) > 0, $"{outline} at angle {angle}");
        }
    }

    private static byte[] Jpeg(PhotoClass c, ulong seed)
    {
        using var stream = new MemoryStream();
        Scene.WriteJpeg(c, seed, stream);
        return stream.ToArray();
    }
}
