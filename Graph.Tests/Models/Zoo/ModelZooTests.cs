using AutoGrad.Models;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Tests.Models.Zoo;

public class ModelZooTests
{
    // Parameter counts worked out by hand from each spec (weights + biases, BatchNorm γ and β):
    //   lenet5:      28 (pad 2) → conv5 → 28 → pool 14 → conv5 → 10 → pool 5; 16·5·5 = 400 features.
    //                conv1 6·1·25+6 = 156, conv2 16·6·25+16 = 2,416, fc1 400·120+120 = 48,120, fc2 120·84+84 = 10,164, fc3 84·C+C.
    //   lenet5-plus: conv 1→16→16 (3×3, pad 1), pool 14, conv 16→32→32, pool 7; 32·7·7 = 1,568 features.
    //                16·9+16 = 160, 16·16·9+16 = 2,320, 32·16·9+32 = 4,640, 32·32·9+32 = 9,248 convs,
    //                4 BN (2·16+2·16+2·32+2·32 = 192), fc1 1,568·128+128 = 200,832, fc2 128·C+C.
    //   lenet5-wide: lenet5-plus with 24 and 48 channels; 48·7·7 = 2,352 features.
    //                24·9+24 = 240, 24·24·9+24 = 5,208, 48·24·9+48 = 10,416, 48·48·9+48 = 20,784 convs,
    //                4 BN (2·24+2·24+2·48+2·48 = 288), fc1 2,352·128+128 = 301,184, fc2 128·C+C.
    //   lenet5-wide-nodrop: lenet5-wide's layers and parameters without the two dropout layers.
    //   two-layer-net: 784·256+256 = 200,960 and 256·C+C.
    //   seed-lenet5: 256 → conv5 → 252 → pool 126 → conv5 → 122 → pool 61; 16·61·61 = 59,536 features.
    //                conv1 6·3·25+6 = 456, conv2 2,416, fc1 59,536·1,200+1,200 = 71,444,400, fc2 1,200·840+840 = 1,008,840, fc3 840·C+C.
    //   seed-lenet5-improved: 254 → conv3 252 → pool 126 → conv3 124 → pool 62 → conv3 60 → pool 30; 26·30·30 = 23,400 features.
    //                conv 6·3·9+6 = 168, 16·6·9+16 = 880, 26·16·9+26 = 3,770, fc1 23,400·1,200+1,200 = 28,081,200, fc2 1,008,840, fc3 840·C+C.
    //   photo-net: 128 → stem conv5/2 (pad 2) → 64 → pool 32; residual blocks (3×3 convs without bias, BN 2·C each):
    //                stem 32·3·25+32 = 2,432, bn 64; res1 32→32 (identity) 2·9,216+2·64 = 18,560;
    //                res2 32→64/2: 18,432+36,864+1×1 shortcut 2,048 + 3 BN·128 = 57,728; res3 64→128/2: 73,728+147,456+8,192+3·256 = 230,144;
    //                res4 128→256/2: 294,912+589,824+32,768+3·512 = 919,040; fc 256·C+C after global average pooling.
    public static IEnumerable<object[]> Counts => SmallCounts.Concat(SeedCounts);

    public static TheoryData<string, int, long> SmallCounts => new()
    {
        { "photo-net", 10, 2_432 + 64 + 18_560 + 57_728 + 230_144 + 919_040 + (256 * 10 + 10) },
        { "photo-net", 50, 2_432 + 64 + 18_560 + 57_728 + 230_144 + 919_040 + (256 * 50 + 50) },
        { "lenet5", 10, 156 + 2_416 + 48_120 + 10_164 + (84 * 10 + 10) },
        { "lenet5", 50, 156 + 2_416 + 48_120 + 10_164 + (84 * 50 + 50) },
        { "lenet5-plus", 10, 160 + 2_320 + 4_640 + 9_248 + 192 + 200_832 + (128 * 10 + 10) },
        { "lenet5-plus", 50, 160 + 2_320 + 4_640 + 9_248 + 192 + 200_832 + (128 * 50 + 50) },
        { "lenet5-wide", 10, 240 + 5_208 + 10_416 + 20_784 + 288 + 301_184 + (128 * 10 + 10) },
        { "lenet5-wide", 50, 240 + 5_208 + 10_416 + 20_784 + 288 + 301_184 + (128 * 50 + 50) },
        { "lenet5-wide-nodrop", 10, 240 + 5_208 + 10_416 + 20_784 + 288 + 301_184 + (128 * 10 + 10) },
        { "two-layer-net", 10, 200_960 + (256 * 10 + 10) },
        { "two-layer-net", 50, 200_960 + (256 * 50 + 50) },
    };

    /// <summary>The seed models' 30–72 M-parameter networks take seconds each to build in Debug: they run with the slow tests.</summary>
    public static TheoryData<string, int, long> SeedCounts => new()
    {
        { "seed-lenet5", 10, 456 + 2_416 + 71_444_400 + 1_008_840 + (840 * 10 + 10) },
        { "seed-lenet5", 50, 456 + 2_416 + 71_444_400 + 1_008_840 + (840 * 50 + 50) },
        { "seed-lenet5-improved", 10, 168 + 880 + 3_770 + 28_081_200 + 1_008_840 + (840 * 10 + 10) },
        { "seed-lenet5-improved", 50, 168 + 880 + 3_770 + 28_081_200 + 1_008_840 + (840 * 50 + 50) },
    };

    [Fact]
    public void CountsTableCoversEveryZooModel() =>
        Assert.Equal(ModelZoo.Names.Order(), Counts.Select(row => (string)row[0]).Distinct().Order());

    [Fact]
    public void Lenet5HasTheTextbookParameterCount()
    {
        Assert.Equal(61_706, ZooModels.TenClasses("lenet5").ParameterCount);
    }

    [Theory]
    [MemberData(nameof(SmallCounts))]
    public void EveryZooModelBuildsWithHandCountedParameters(string name, int classes, long expected) => BuildsWith(name, classes, expected);

    [Theory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(SeedCounts))]
    public void SeedModelsBuildWithHandCountedParameters(string name, int classes, long expected) => BuildsWith(name, classes, expected);

    private static void BuildsWith(string name, int classes, long expected)
    {
        var model = classes == 10 ? ZooModels.TenClasses(name) : ModelBuilder.Build<float>(Get(name), classes);
        Assert.Equal(expected, model.ParameterCount);
        Assert.Equal([classes], model.Layers[^1].OutputShape);
        Assert.Equal(classes, model.Classes);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void SeedLenet5Fc1TakesSixteenBySixtyOneBySixtyOneFeatures()
    {
        var model = ZooModels.TenClasses("seed-lenet5");
        var fc1 = model.Layers.Single(l => l.Name == "fc1");
        Assert.Equal([16 * 61 * 61], fc1.InputShape);
        Assert.Equal([1200], fc1.OutputShape);
        Assert.Equal([1200, 59_536], fc1.Parameters[0].Shape);
        Assert.Equal([6, 3, 5, 5], model.Layers.Single(l => l.Name == "conv1").Parameters[0].Shape);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void SeedLenet5ImprovedFc1TakesTwentySixByThirtyByThirtyFeatures()
    {
        var model = ZooModels.TenClasses("seed-lenet5-improved");
        Assert.Equal([26, 30, 30], model.Layers.Single(l => l.Name == "pool3").OutputShape);
        var fc1 = model.Layers.Single(l => l.Name == "fc1");
        Assert.Equal([26 * 30 * 30], fc1.InputShape);
        Assert.Equal([1200, 23_400], fc1.Parameters[0].Shape);
        Assert.All(model.Layers.Where(l => l.Type is not ("conv2d" or "linear" or "max_pool2d" or "flatten")), l => Assert.Equal("swish", l.Type));
    }

    [Fact]
    public void Lenet5WideNodropIsLenet5WideWithoutItsDropoutLayers()
    {
        static string Describe(AutoGrad.Models.Specs.LayerSpec l) => $"{l.Type} {l.Out} {l.Kernel} {l.Stride} {l.Padding} {l.P}";
        var wide = Get("lenet5-wide").Layers.Where(l => l.Type != "dropout").Select(Describe);
        Assert.Equal(wide, Get("lenet5-wide-nodrop").Layers.Select(Describe));
        Assert.Equal(2, Get("lenet5-wide").Layers.Count(l => l.Type == "dropout"));
        Assert.Equal(Get("lenet5-wide").Input, Get("lenet5-wide-nodrop").Input);
    }

    [Fact]
    public void ResolveFindsZooNamesAndRejectsUnknownOnes()
    {
        Assert.Same(Get("lenet5"), ModelZoo.Resolve("lenet5"));
        var e = Assert.Throws<AutoGradException>(() => ModelZoo.Resolve("lenet6"));
        Assert.Contains("`Model`", e.Message);
        Assert.Contains("lenet6", e.Message);
    }

    private static AutoGrad.Models.Specs.ModelSpec Get(string name)
    {
        Assert.True(ModelZoo.TryGet(name, out var spec), name);
        return spec;
    }

    [Fact]
    public void PhotoNetHasNoHugeLayerAndFarFewerWeightsThanSeedLenet5()
    {
        var photo = ZooModels.TenClasses("photo-net");
        Assert.True(photo.ParameterCount * 20 < ZooModels.TenClasses("seed-lenet5").ParameterCount, $"photo-net has {photo.ParameterCount:N0} parameters");
        Assert.All(photo.Parameters, p => Assert.True(p.Value.Length < 1_000_000, p.Name));
        Assert.Contains(photo.Layers, l => l.Type == "residual");
    }
}
