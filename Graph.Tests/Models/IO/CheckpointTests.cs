using System.Text.Json;
using AutoGrad.Models;
using AutoGrad.Models.Data;
using AutoGrad.Models.IO;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Tests.Models.IO;

public class CheckpointTests
{
    private static readonly string[] ClassNames = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    [Fact]
    public void SaveThenLoadGivesIdenticalLogits()
    {
        using var folder = new TempFolder();
        var model = TrainedLookingModel();
        var checkpoint = new Checkpoint(model, ClassNames, new Normalization([0.25f], [0.5f]));
        string path = folder.File("model.safetensors");
        checkpoint.Save(path);

        var loaded = Checkpoint.Load(path);
        Assert.Equal(ClassNames, loaded.Classes);
        Assert.Equal([0.25f], loaded.Normalization.Mean);
        Assert.Equal([0.5f], loaded.Normalization.Std);
        Assert.Equal(model.Spec.Layers, loaded.Model.Spec.Layers);
        var batch = ModelTests.Random(4, model.InputShape, 9);
        float[] Logits(Model<float> m) => m.Forward(Node<float>.Input(batch), new ForwardContext(training: false)).Value.Data;
        Assert.Equal(Logits(model), Logits(loaded.Model));
    }

    [Fact]
    public void MetadataHoldsSpecClassesAndNormalisation()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        var model = TrainedLookingModel();
        new Checkpoint(model, ClassNames, new Normalization([0.25f], [0.5f])).Save(path);

        var file = SafeTensors.Load(path);
        Assert.Equal(model.Spec.Layers, SpecJson.Parse(file.Metadata[Checkpoint.SpecKey], "meta").Layers);
        Assert.Equal(ClassNames, JsonSerializer.Deserialize<string[]>(file.Metadata[Checkpoint.ClassesKey]));
        using var norm = JsonDocument.Parse(file.Metadata[Checkpoint.NormalizeKey]);
        Assert.Equal(0.25f, norm.RootElement.GetProperty("mean")[0].GetSingle());
        Assert.Equal(0.5f, norm.RootElement.GetProperty("std")[0].GetSingle());
        Assert.Equal(model.StateTensors().Select(s => s.Name).Order(), file.Tensors.Select(t => t.Name).Order());
    }

    [Fact]
    public void LoadFromARunFolderPrefersBestOverLast()
    {
        using var folder = new TempFolder();
        var model = TrainedLookingModel();
        new Checkpoint(model, ClassNames, Normalization.None(1)).Save(folder.File("last.safetensors"));
        Assert.Equal(folder.File("last.safetensors"), Checkpoint.ResolvePath(folder.Path));
        new Checkpoint(model, ClassNames, Normalization.None(1)).Save(folder.File("best.safetensors"));
        Assert.Equal(folder.File("best.safetensors"), Checkpoint.ResolvePath(folder.Path));
        var e = Assert.Throws<AutoGradException>(() => Checkpoint.Load(folder.File("missing")));
        Assert.Contains("`Checkpoint`", e.Message);
    }

    [Fact]
    public void WrongTensorShapeNamesFileAndTensor()
    {
        using var folder = new TempFolder();
        string path = Rewrite(folder, tensors => tensors.Select(t => t.Name == "fc1.weight" ? new NamedTensor(t.Name, [120, 10], new float[1200]) : t));
        var e = Assert.Throws<AutoGradException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("fc1.weight", e.Message);
        Assert.Contains("[120, 10]", e.Message);
        Assert.Contains("[120, 400]", e.Message);
    }

    [Fact]
    public void MissingTensorNamesFileAndTensor()
    {
        using var folder = new TempFolder();
        string path = Rewrite(folder, tensors => tensors.Where(t => t.Name != "conv2.bias"));
        var e = Assert.Throws<AutoGradException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("conv2.bias", e.Message);
    }

    [Theory]
    [InlineData(Checkpoint.SpecKey)]
    [InlineData(Checkpoint.ClassesKey)]
    [InlineData(Checkpoint.NormalizeKey)]
    public void MissingMetadataNamesFileAndKey(string key)
    {
        using var folder = new TempFolder();
        string path = Rewrite(folder, t => t, meta => meta.Remove(key));
        var e = Assert.Throws<AutoGradException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(key, e.Message);
    }

    [Theory]
    [InlineData(Checkpoint.ClassesKey, "[]", "no classes")]
    [InlineData(Checkpoint.ClassesKey, "{not json", "malformed")]
    [InlineData(Checkpoint.NormalizeKey, """{"mean": [0.1], "std": [0]}""", "positive stds")]
    [InlineData(Checkpoint.NormalizeKey, """{"mean": [0.1, 0.2], "std": [1, 1]}""", "1 means")]
    [InlineData(Checkpoint.SpecKey, """{"input": [1, 28, 28], "layers": [{"type": "warp"}]}""", "unknown layer type 'warp'")]
    public void MalformedMetadataNamesFileAndProblem(string key, string value, string problem)
    {
        using var folder = new TempFolder();
        string path = Rewrite(folder, t => t, meta => meta[key] = value);
        var e = Assert.Throws<AutoGradException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>A seeded lenet5 (weights differ from a seed-0 build, so a loader that rebuilt instead of loading would be caught).</summary>
    private static Model<float> TrainedLookingModel()
    {
        Assert.True(ModelZoo.TryGet("lenet5", out var spec));
        return ModelBuilder.Build<float>(spec, 10, seed: 21);
    }

    /// <summary>Saves a lenet5 checkpoint, then rewrites it with edited tensors or metadata.</summary>
    private static string Rewrite(TempFolder folder, Func<IEnumerable<NamedTensor>, IEnumerable<NamedTensor>> tensors, Action<Dictionary<string, string>>? metadata = null)
    {
        string good = folder.File("good.safetensors"), bad = folder.File("bad.safetensors");
        new Checkpoint(TrainedLookingModel(), ClassNames, Normalization.None(1)).Save(good);
        var file = SafeTensors.Load(good);
        var meta = file.Metadata.ToDictionary();
        metadata?.Invoke(meta);
        SafeTensors.Save(bad, tensors(file.Tensors).ToList(), meta);
        return bad;
    }
}
