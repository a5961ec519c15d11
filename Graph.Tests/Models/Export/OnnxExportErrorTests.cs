using AutoGrad.Models;
using AutoGrad.Models.Export;
using AutoGrad.Models.Export.Mappings;
using AutoGrad.Models.IO;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Zoo;
using AutoGrad.Tests.Models.IO;
using CliRunner = AutoGrad.Tests.Cli.Cli;

namespace AutoGrad.Tests.Models.Export;

/// <summary>What the exporter refuses, how it says so, and that a refusal writes nothing.</summary>
public class OnnxExportErrorTests
{
    /// <summary>A layer kind the ONNX table does not know (every real spec type has a form): stands for a future layer added without one.</summary>
    private sealed class FancyNormLayer(string name, int[] shape) : Layer<float>(name, "fancy_norm", shape, shape)
    {
        public override Node<float> Forward(Node<float> x, ForwardContext context) => x;
    }

    private static Checkpoint WithFancyLayer()
    {
        ModelZoo.TryGet("two-layer-net", out var spec);
        var built = ModelBuilder.Build<float>(spec, 10);
        var layers = built.Layers.ToList();
        layers.Insert(2, new FancyNormLayer("norm7", layers[1].OutputShape));
        return new Checkpoint(new Model<float>(spec, 10, layers), ExportSamples.Classes, ExportCheckpoints.Normalization(1));
    }

    [Fact]
    public void EveryLayerTypeASpecCanNameHasAnOnnxForm() =>
        Assert.All(LayerTypes.All, type => Assert.True(LayerMappings.ByType.ContainsKey(type), $"layer type '{type}' has no ONNX mapping"));

    [Fact]
    public void LayerWithoutOnnxFormIsOneLineNamingLayerAndOpAndWritesNothing()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        var e = Assert.Throws<AutoGradException>(() => OnnxExporter.Save(WithFancyLayer(), path, new OnnxExportOptions()));
        Assert.StartsWith("layer norm7: op 'fancy_norm' has no ONNX form", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void WeightsBeyondWhatOneProtobufMessageHoldsAreRefused()
    {
        ModelZoo.TryGet("two-layer-net", out var spec);
        var checkpoint = ExportCheckpoints.Random(spec);
        long bytes = checkpoint.Model.StateTensors().Sum(t => (long)t.Value.Length) * 4;   // 203,530 float32 values
        Assert.NotNull(OnnxExporter.Build(checkpoint, new OnnxExportOptions(), maxWeightBytes: bytes));
        var e = Assert.Throws<AutoGradException>(() => OnnxExporter.Build(checkpoint, new OnnxExportOptions(), maxWeightBytes: bytes - 1));
        Assert.Equal($"model two-layer-net: {bytes:N0} bytes of weights exceed the {bytes - 1:N0} a single ONNX file can hold (external data is not supported)", e.Message);
        Assert.True(OnnxExporter.MaxWeightBytes < int.MaxValue);
    }

    [Theory]
    [InlineData(OnnxExportOptions.MinOpset - 1)]
    [InlineData(OnnxExportOptions.MaxOpset + 1)]
    public void OpsetOutsideTheSupportedRangeIsRefusedInLibraryTerms(int opset)
    {
        ModelZoo.TryGet("lenet5", out var spec);
        var e = Assert.Throws<AutoGradException>(() => OnnxExporter.ToBytes(ExportCheckpoints.Random(spec), new OnnxExportOptions { Opset = opset }));
        Assert.Equal($"ONNX opset {opset} is not supported: expected 13 to 22 (default 17)", e.Message);
    }

    [Theory]
    [InlineData("--opset", "12")]
    [InlineData("--opset", "23")]
    public void CliRefusesABadOpsetAndLeavesAnExistingFileAlone(string flag, string value)
    {
        using var folder = new TempFolder();
        string checkpoint = SaveLenet5(folder), output = folder.File("model.onnx");
        File.WriteAllText(output, "previous export");
        CliRunner.Fails(["export", "-c", checkpoint, "--out", output, flag, value], "--opset", value, "13 to 22");
        Assert.Equal("previous export", File.ReadAllText(output));
        Assert.Equal(2, Directory.GetFiles(folder.Path).Length);   // no temporary file left behind
    }

    [Fact]
    public void CliRefusesAMissingCheckpointAndAFolderAsOutput()
    {
        using var folder = new TempFolder();
        CliRunner.Fails(["export", "-c", folder.File("nothing.safetensors"), "--out", folder.File("m.onnx")], "--checkpoint", "nothing.safetensors");
        CliRunner.Fails(["export", "-c", SaveLenet5(folder), "--out", folder.Path], "--out", "is a folder");
        Assert.Single(Directory.GetFiles(folder.Path));   // only the checkpoint
    }

    [Fact]
    public void CliExportsACheckpointFileThatRunsAsPredictComputesIt()
    {
        using var folder = new TempFolder();
        string checkpoint = SaveLenet5(folder), output = folder.File("out/lenet5.onnx");
        var r = CliRunner.Succeeds("export", "-c", checkpoint, "--out", output, "--include-normalization", "--with-softmax", "--opset", "20");
        Assert.Contains("opset 20", r.Output);
        Assert.Contains("'probabilities' [N, 10]", r.Output);
        ExportAssert.SameAsPredict(File.ReadAllBytes(output), Checkpoint.Load(checkpoint),
            new OnnxExportOptions { IncludeNormalization = true, WithSoftmax = true, Opset = 20 }, first: 0, batch: 4);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(output)!));
    }

    private static string SaveLenet5(TempFolder folder)
    {
        ModelZoo.TryGet("lenet5", out var spec);
        string path = folder.File("lenet5.safetensors");
        ExportCheckpoints.Random(spec).Save(path);
        return path;
    }
}
