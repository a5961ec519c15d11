using AutoGrad.Models.Export;
using AutoGrad.Models.Export.Mappings;
using AutoGrad.Models.Specs;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Models.Export;

/// <summary>A spec with every layer type and activation, at the lowest, default and highest opsets and around GELU's operator.</summary>
public class OnnxExportOpsetTests(ITestOutputHelper log)
{
    private static LayerSpec L(string type, int? @out = null, int? kernel = null, int? stride = null, int? padding = null, bool? bias = null, double? slope = null) =>
        new() { Type = type, Out = @out, Kernel = kernel, Stride = stride, Padding = padding, Bias = bias, Slope = slope, P = type == LayerTypes.Dropout ? 0.4 : null };

    /// <summary>Strides, padding, a convolution and a linear layer without bias, a non-default leaky slope, two batch norms,
    /// a residual block with an identity shortcut and one with a projection.</summary>
    public static readonly ModelSpec EveryLayer = new()
    {
        Name = "every-layer", Input = [3, 20, 20],
        Layers =
        [
            L("conv2d", 8, 3, padding: 1), L("batch_norm2d"), L("leaky_relu", slope: 0.2), L("max_pool2d", kernel: 2),
            L("residual", 8), L("residual", 12, stride: 2),
            L("conv2d", 12, 3, stride: 2, padding: 1, bias: false), L("batch_norm2d"), L("swish"), L("avg_pool2d", kernel: 2, stride: 1),
            L("conv2d", 16, 1), L("gelu"), L("global_avg_pool2d"), L("flatten"), L("dropout"),
            L("linear", 24), L("sigmoid"), L("linear", 20, bias: false), L("relu"), L("linear", 20), L("tanh"), L("dropout"),
            L("linear", LayerSpec.Classes),
        ],
    };

    [Fact]
    public void TheSpecCoversEveryLayerType() =>
        Assert.Equal(LayerTypes.All.Order(), EveryLayer.Layers.Select(l => l.Type).Distinct().Order());

    [Theory]
    [InlineData(OnnxExportOptions.MinOpset, false)]
    [InlineData(OnnxExportOptions.DefaultOpset, true)]
    [InlineData(GeluMapping.GeluOpset - 1, false)]
    [InlineData(GeluMapping.GeluOpset, true)]
    [InlineData(OnnxExportOptions.MaxOpset, false)]
    public void EveryLayerTypeRunsInOnnxRuntimeAtEachOpset(int opset, bool includeNormalization)
    {
        var checkpoint = ExportCheckpoints.Random(EveryLayer, seed: opset);
        ExportCheckpoints.RandomizeBatchNorm(checkpoint.Model, seed: opset);
        var options = new OnnxExportOptions { Opset = opset, IncludeNormalization = includeNormalization };
        var proto = OnnxExporter.Build(checkpoint, options);
        Assert.Equal(opset, proto.OpsetImport.Single().Version);
        // GELU is the Gelu operator (tanh form) where it exists and the same formula in primitives before.
        Assert.Equal(opset >= GeluMapping.GeluOpset, proto.Graph.Node.Any(n => n.OpType == "Gelu"));

        using var runner = new OnnxRuntimeRunner(OnnxExporter.ToBytes(checkpoint, options));
        ExportAssert.SameAsPredict(runner, checkpoint, options, first: 0, batch: 1, log);
        ExportAssert.SameAsPredict(runner, checkpoint, options, first: 2, batch: 6, log);
    }

    [Fact]
    public void FlatInputFoldsItsSingleMeanAndStd()
    {
        var spec = new ModelSpec { Name = "flat", Input = [784], Layers = [L("linear", 32), L("gelu"), L("linear", LayerSpec.Classes)] };
        var checkpoint = ExportCheckpoints.Random(spec);
        var options = new OnnxExportOptions { IncludeNormalization = true, WithSoftmax = true };
        ExportAssert.SameAsPredict(OnnxExporter.ToBytes(checkpoint, options), checkpoint, options, first: 0, batch: 3, log);
    }
}
