using AutoGrad.Models;
using AutoGrad.Models.Data;
using AutoGrad.Models.Inspection;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;
using AutoGrad.Tests.Models.Data;

namespace AutoGrad.Tests.Reliability;

public class MemoryCheckTests
{
    [Fact]
    public void EstimateNamesEachPartOfTheWorkingSet()
    {
        ModelZoo.TryGet("lenet5", out var spec);
        // lenet5 activations per image: 4·(6·28·28·2 + 6·14·14 + 16·10·10·2 + 16·5·5·2 + 120·2 + 84·2 + 10) + input 4·784 bytes.
        long perImage = 4L * (6 * 784 * 2 + 6 * 196 + 1600 * 2 + 400 * 2 + 240 + 168 + 10) + 4 * 784;
        long parameters = ModelBuilder.Build<float>(spec, 10).ParameterCount;
        var need = MemoryCheck.Estimate(spec, 10, 64, "adam");
        Assert.Equal(new MemoryNeed(parameters * 4, parameters * 4, parameters * 8, perImage * 64 * 3), need);
        Assert.Equal(0, MemoryCheck.Estimate(spec, 10, 64, "sgd").OptimizerState);
        Assert.Equal(parameters * 4, MemoryCheck.Estimate(spec, 10, 64, "momentum").OptimizerState);
        MemoryCheck.EnsureFits(spec, 10, 64, "adam", available: need.Total * 2);
        var e = Assert.Throws<AutoGradException>(() => MemoryCheck.EnsureFits(spec, 10, 64, "adam", available: need.Total / 2));
        Assert.Contains("at `BatchSize` 64", e.Message);
        Assert.Contains("activations", e.Message);
        Assert.Contains("use a smaller `BatchSize`", e.Message);   // lenet5's activations dwarf its 62k parameters
    }

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void FootprintFromTheSpecMatchesTheBuiltModel(string name)
    {
        ModelZoo.TryGet(name, out var spec);
        var model = ModelBuilder.Build<float>(spec, 7, initialize: false);
        var (parameters, activations) = ModelBuilder.Footprint(spec, 7);
        Assert.Equal(model.ParameterCount, parameters);
        Assert.Equal(ModelSummary.Rows(model).Sum(r => r.ActivationBytes) + Shapes.Size(model.InputShape) * 4L, activations);
    }

    public static TheoryData<string> ZooNames() => [.. ModelZoo.Names];

    /// <summary>A 1×256×256 input flattened into a 90,000-wide linear layer: 5.9 G weights, 22 GiB, 88 GiB with gradients and adam.</summary>
    public static ModelSpec Huge() => new()
    {
        Name = "huge", Input = [1, 256, 256],
        Layers = [new LayerSpec { Type = "flatten" }, new LayerSpec { Type = "linear", Out = 90_000 }, new LayerSpec { Type = "linear", Out = LayerSpec.Classes }],
    };

    [Fact]
    public void AModelTooLargeIsRefusedBeforeAnyImageIsDecoded()
    {
        using var files = new DataFixtures();
        // Every image is garbage: had the loader decoded anything first, it would fail on them instead.
        foreach (string split in new[] { "train", "test" })
            for (int k = 0; k < 2; k++) files.WriteText($"{split}/c{k}/x.png", "not an image");
        var options = DataFixtures.Options() with { BeforeDecode = classes => MemoryCheck.EnsureFits(Huge(), classes, 32, "adam", available: 16L << 30) };
        var e = Assert.Throws<AutoGradException>(() => DatasetCatalog.Load(files.Root, 1, 256, 256, options));
        Assert.Contains("parameters 21.", e.Message);
        Assert.Contains("use a smaller model", e.Message);
        Assert.DoesNotContain("smaller `BatchSize`", e.Message);
        Assert.DoesNotContain("decoded", e.Message);
    }
}
