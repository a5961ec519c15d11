using System.CommandLine;
using AutoGrad.Models.Export;
using AutoGrad.Models.IO;

namespace AutoGrad.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "Run folder or .safetensors file", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "The ONNX file to write", DefaultValueFactory = _ => "model.onnx" };
        var opset = new Option<int>("--opset")
        {
            Description = $"ai.onnx opset, {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset}",
            DefaultValueFactory = _ => OnnxExportOptions.DefaultOpset,
        };
        var normalization = new Option<bool>("--include-normalization") { Description = "Fold the checkpoint's mean/std into the graph: the model takes pixel/255 in [0, 1]" };
        var softmax = new Option<bool>("--with-softmax") { Description = "End with a softmax: output 'probabilities' instead of 'logits'" };
        var command = new Command("export", "Write a checkpoint as an ONNX model (view it with Netron, run it with ONNX Runtime)")
        {
            checkpoint, output, opset, normalization, softmax,
        };
        command.SetAction(parse =>
        {
            int version = parse.GetValue(opset);
            if (!OnnxExportOptions.IsSupported(version))
                throw new AutoGradException($"--opset: {version} is not supported (expected {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset}, default {OnnxExportOptions.DefaultOpset})");
            string path = parse.GetValue(output)!;
            if (Directory.Exists(path)) throw new AutoGradException($"--out: '{path}' is a folder; expected a file name such as model.onnx");
            var ckpt = Checkpoint.Load(parse.GetValue(checkpoint)!);
            var options = new OnnxExportOptions
            {
                Opset = version, IncludeNormalization = parse.GetValue(normalization), WithSoftmax = parse.GetValue(softmax),
            };
            OnnxExporter.Save(ckpt, path, options);
            var spec = ckpt.Model.Spec;
            parse.InvocationConfiguration.Output.WriteLine(
                $"{path}: {spec.Name}, opset {version}, input '{OnnxExporter.InputName}' [N, {string.Join(", ", spec.Input)}] " +
                $"({(options.IncludeNormalization ? "pixel/255" : "normalised")}), output '{options.OutputName}' [N, {ckpt.Classes.Count}], {new FileInfo(path).Length:N0} bytes");
            return 0;
        });
        return command;
    }
}
