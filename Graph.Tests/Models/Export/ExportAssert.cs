using AutoGrad.Models.Export;
using AutoGrad.Models.Inspection;
using AutoGrad.Models.IO;
using AutoGrad.Ops;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Models.Export;

/// <summary>Exports a checkpoint, runs it in ONNX Runtime and compares with what <c>autograd predict</c> computes.</summary>
public static class ExportAssert
{
    /// <summary>
    /// float32 tolerance, relative to the size of the outputs: |onnx − ours| ≤ Tolerance·max(1, max|ours|). Both
    /// sides compute in float32 but sum in different orders (our direct/GEMM kernels against MLAS, and ONNX Runtime
    /// folds batch norm into the convolution before it), so they agree to a few float32 ulps of the largest
    /// partial sums, not bit for bit. Measured: at most 1.9e-6 absolute, 1.3e-6 relative over every zoo model,
    /// opset and batch (docs/interop.md), so this bound leaves a margin of about 8 for other kernels and CPUs.
    /// </summary>
    public const float Tolerance = 1e-5f;

    /// <summary>Runs the export in ONNX Runtime on images [first, first + batch) and asserts it equals our logits (or their softmax); returns the largest difference.</summary>
    public static float SameAsPredict(byte[] model, Checkpoint checkpoint, OnnxExportOptions options, int first, int batch, ITestOutputHelper? log = null)
    {
        using var runner = new OnnxRuntimeRunner(model);
        return SameAsPredict(runner, checkpoint, options, first, batch, log);
    }

    public static float SameAsPredict(OnnxRuntimeRunner runner, Checkpoint checkpoint, OnnxExportOptions options, int first, int batch, ITestOutputHelper? log = null)
    {
        var images = ExportSamples.Images(checkpoint.Model.Spec.Input, first, batch);
        return SameAsPredict(runner, checkpoint, options, images, Predictor.Logits(checkpoint, images), log);
    }

    /// <summary>As above with our logits for <paramref name="images"/> already computed (a large model's forward pass is worth reusing).</summary>
    public static float SameAsPredict(OnnxRuntimeRunner runner, Checkpoint checkpoint, OnnxExportOptions options, byte[] images, Tensor<float> logits, ITestOutputHelper? log = null)
    {
        var spec = checkpoint.Model.Spec;
        int batch = logits.Shape[0];
        var (actual, shape) = runner.Run(ExportSamples.Input(checkpoint, images, options.IncludeNormalization), [batch, .. spec.Input]);
        Assert.Equal([batch, checkpoint.Classes.Count], shape);

        var expected = logits;
        if (options.WithSoftmax)
            using (GradMode.NoGrad()) expected = Softmax.Apply(Node<float>.Input(logits)).Value;
        float largest = expected.Data.Max(MathF.Abs), scale = Math.Max(1f, largest), worst = 0;
        for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, MathF.Abs(actual[i] - expected.Data[i]));
        log?.WriteLine($"{spec.Name} opset {options.Opset} normalization={options.IncludeNormalization} softmax={options.WithSoftmax} batch {batch}: " +
                       $"max |onnx - ours| = {worst:E2}, max |ours| = {largest:F3}");
        Assert.True(worst <= Tolerance * scale,
            $"{spec.Name}: ONNX Runtime differs from predict's {(options.WithSoftmax ? "probabilities" : "logits")} by {worst:E3} (allowed {Tolerance * scale:E3})");
        return worst;
    }
}
