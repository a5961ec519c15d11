using System.Text.Json;
using AutoGrad.Models;
using AutoGrad.Models.Export;
using AutoGrad.Models.IO;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Tests.Models.Export;

/// <summary>What an exported file says about itself: names, dynamic batch, producer, opset and the checkpoint's metadata.</summary>
public class OnnxExportMetadataTests
{
    private static readonly OnnxExportOptions Options = new() { IncludeNormalization = true, WithSoftmax = true };

    [Fact]
    public void OnnxRuntimeSeesInputOutputAndDynamicBatch()
    {
        ModelZoo.TryGet("lenet5", out var spec);
        using var runner = new OnnxRuntimeRunner(OnnxExporter.ToBytes(ExportCheckpoints.Random(spec), Options));
        Assert.Equal(["input"], runner.InputNames);
        Assert.Equal(["probabilities"], runner.OutputNames);
        Assert.Equal([-1, 1, 28, 28], runner.InputDimensions);   // -1: the symbolic batch dimension
        Assert.Equal([-1, 10], runner.OutputDimensions);
        Assert.Equal("autograd", runner.ProducerName);
    }

    [Fact]
    public void MetadataHoldsClassesNormalizationAndSpec()
    {
        ModelZoo.TryGet("lenet5-plus", out var spec);
        var checkpoint = ExportCheckpoints.Random(spec);
        using var runner = new OnnxRuntimeRunner(OnnxExporter.ToBytes(checkpoint, Options));
        var meta = runner.Metadata;
        Assert.Equal(checkpoint.Classes, JsonSerializer.Deserialize<string[]>(meta[Checkpoint.ClassesKey]));
        using var norm = JsonDocument.Parse(meta[Checkpoint.NormalizeKey]);
        Assert.Equal(checkpoint.Normalization.Mean, norm.RootElement.GetProperty("mean").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal(checkpoint.Normalization.Std, norm.RootElement.GetProperty("std").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal(SpecJson.Write(spec), SpecJson.Write(SpecJson.Parse(meta[Checkpoint.SpecKey], "metadata")));
        Assert.Equal("probabilities", meta[OnnxExporter.OutputKey]);
        Assert.Contains("[0, 1]", meta[OnnxExporter.InputKey]);
    }

    [Fact]
    public void ModelRecordsProducerOpsetAndEveryWeightUnderItsCheckpointName()
    {
        ModelZoo.TryGet("lenet5-plus", out var spec);
        var checkpoint = ExportCheckpoints.Random(spec);
        var proto = OnnxExporter.Build(checkpoint, new OnnxExportOptions());
        Assert.Equal("autograd", proto.ProducerName);
        Assert.False(string.IsNullOrEmpty(proto.ProducerVersion));
        Assert.Equal(OnnxExporter.Version, proto.ProducerVersion);
        Assert.Equal(17, proto.OpsetImport.Single().Version);
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal("N", proto.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(checkpoint.Model.StateTensors().Select(s => s.Name), proto.Graph.Initializer.Select(t => t.Name));
        // Inference form: dropout leaves no node behind.
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "Dropout");
        var withNorm = OnnxExporter.Build(checkpoint, new OnnxExportOptions { IncludeNormalization = true });
        Assert.Equal(["input.mean", "input.std"], withNorm.Graph.Initializer.Select(t => t.Name).Take(2));
    }

    [Fact]
    public void OperatorsListsWhatEachLayerBecomes()
    {
        ModelZoo.TryGet("seed-lenet5-improved", out var spec);
        var ops = OnnxExporter.Operators(ModelBuilder.Build<float>(spec, 10, initialize: false), 17);
        Assert.Equal(spec.Layers.Count, ops.Count);
        Assert.Equal(("swish1", "swish", "Sigmoid, Mul"), ops[1]);
        Assert.Equal("Gemm", ops.Single(o => o.Layer == "fc1").Operators);
    }
}
