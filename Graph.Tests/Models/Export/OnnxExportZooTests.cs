using AutoGrad.Models.Export;
using AutoGrad.Models.Inspection;
using AutoGrad.Models.Zoo;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Models.Export;

/// <summary>Every zoo model, randomly initialised, exported and run in ONNX Runtime against predict's forward pass.</summary>
public class OnnxExportZooTests(ITestOutputHelper log)
{
    public static TheoryData<string> Zoo => new(ModelZoo.Names);

    [Theory, MemberData(nameof(Zoo))]
    public void ZooModelRunsInOnnxRuntimeAsPredictComputesIt(string name)
    {
        ModelZoo.TryGet(name, out var spec);
        var checkpoint = ExportCheckpoints.Random(spec);
        OnnxExportOptions[] variants =
        [
            new(),
            new() { IncludeNormalization = true },
            new() { IncludeNormalization = true, WithSoftmax = true },
        ];
        // Our forward pass once per batch (seed-lenet5's is the slow part), compared with each export.
        var batches = new[] { (First: 0, Count: 1), (First: 1, Count: 5) }
            .Select(b => ExportSamples.Images(spec.Input, b.First, b.Count)).Select(images => (images, Predictor.Logits(checkpoint, images))).ToList();
        foreach (var options in variants)
        {
            using var runner = new OnnxRuntimeRunner(OnnxExporter.ToBytes(checkpoint, options));
            foreach (var (images, logits) in batches) ExportAssert.SameAsPredict(runner, checkpoint, options, images, logits, log);
        }
    }
}
