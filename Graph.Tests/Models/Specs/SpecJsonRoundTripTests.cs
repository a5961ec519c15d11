using AutoGrad.Models;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Zoo;
using AutoGrad.Tests.Models.Zoo;

namespace AutoGrad.Tests.Models.Specs;

public class SpecJsonRoundTripTests
{
    /// <summary>The seed models build 30–72 M-parameter networks (seconds each in Debug): they run with the slow tests.</summary>
    private static bool IsSeed(string name) => name.StartsWith("seed-", StringComparison.Ordinal);

    public static TheoryData<string> SmallZooNames => new(ModelZoo.Names.Where(n => !IsSeed(n)));

    public static TheoryData<string> SeedZooNames => new(ModelZoo.Names.Where(IsSeed));

    [Fact]
    public void TheTwoListsCoverTheZoo() => Assert.Equal(ModelZoo.Names.Count(), SmallZooNames.Count + SeedZooNames.Count);

    [Theory]
    [MemberData(nameof(SmallZooNames))]
    public void ZooSpecSurvivesWriteThenParseAndBuildsTheSameNetwork(string name) => RoundTrip(name);

    [Theory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(SeedZooNames))]
    public void SeedSpecSurvivesWriteThenParseAndBuildsTheSameNetwork(string name) => RoundTrip(name);

    private static void RoundTrip(string name)
    {
        Assert.True(ModelZoo.TryGet(name, out var spec));
        var parsed = SpecJson.Parse(SpecJson.Write(spec), "roundtrip.json");

        Assert.Equal(spec.Name, parsed.Name);
        Assert.Equal(spec.Description, parsed.Description);
        Assert.Equal(spec.Input, parsed.Input);
        Assert.Equal(spec.Layers, parsed.Layers);   // LayerSpec is a record of scalars: value equality

        var original = ZooModels.TenClasses(name);
        var rebuilt = ModelBuilder.Build<float>(parsed, 10);
        Assert.Equal(original.Layers.Select(l => l.Name), rebuilt.Layers.Select(l => l.Name));
        Assert.Equal(original.Layers.Select(l => l.Type), rebuilt.Layers.Select(l => l.Type));
        Assert.Equal(original.Layers.Select(l => l.InputShape), rebuilt.Layers.Select(l => l.InputShape));
        Assert.Equal(original.Layers.Select(l => l.OutputShape), rebuilt.Layers.Select(l => l.OutputShape));
        Assert.Equal(original.Parameters.Select(p => (p.Name, p.Shape)), rebuilt.Parameters.Select(p => (p.Name, p.Shape)));
        Assert.Equal(original.ParameterCount, rebuilt.ParameterCount);
    }

    [Fact]
    public void EveryOptionalFieldSurvivesTheRoundTrip()
    {
        var spec = new ModelSpec
        {
            Name = "all-fields", Description = "quotes \" and ünïcode", Input = [3, 12, 10],
            Layers =
            [
                new() { Type = "conv2d", Name = "stem", Out = 4, Kernel = 3, Stride = 2, Padding = 1, Init = "xavier_uniform", Bias = false },
                new() { Type = "leaky_relu", Slope = 0.125 },
                new() { Type = "avg_pool2d", Kernel = 2, Stride = 1 },
                new() { Type = "dropout", P = 0.1 },
                new() { Type = "global_avg_pool2d" },
                new() { Type = "linear", Out = LayerSpec.Classes, Init = "he_uniform" },
            ],
        };
        string json = SpecJson.Write(spec);
        var parsed = SpecJson.Parse(json, "all.json");
        Assert.Equal(spec.Layers, parsed.Layers);
        Assert.Equal(spec.Description, parsed.Description);
        Assert.Contains("\"out\": \"classes\"", json);
        // Writing the parsed spec again gives the same text: the format is stable.
        Assert.Equal(json, SpecJson.Write(parsed));
    }

    [Fact]
    public void ReadFileNamesAMissingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "autograd-no-such-spec-" + Guid.NewGuid().ToString("N") + ".json");
        var e = Assert.Throws<AutoGradException>(() => SpecJson.ReadFile(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void NameDefaultsToTheSourceFileName()
    {
        var spec = SpecJson.Parse("""{"input": [4], "layers": [{"type": "linear", "out": "classes"}]}""", "/tmp/specs/tiny-net.json");
        Assert.Equal("tiny-net", spec.Name);
        Assert.Equal(LayerSpec.Classes, spec.Layers[0].Out);
    }
}
