using System.CommandLine;
using AutoGrad.Models.Inspection;
using AutoGrad.Models.IO;

namespace AutoGrad.Cli.Commands;

internal static class PredictCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "Run folder or .safetensors file", Required = true };
        var images = new Argument<string[]>("images") { Description = "Image files (jpg, png, bmp…)", Arity = ArgumentArity.OneOrMore };
        var top = new Option<int>("--top") { Description = "How many classes to show", DefaultValueFactory = _ => 5 };
        var json = CommonOptions.Json();
        var command = new Command("predict", "Top classes with probabilities for each image") { checkpoint, images, top, json };
        command.SetAction(parse =>
        {
            int k = parse.GetValue(top);
            if (k < 1) throw new AutoGradException($"--top must be at least 1 (got {k})");
            var ckpt = Checkpoint.Load(parse.GetValue(checkpoint)!);
            var files = parse.GetValue(images)!;
            foreach (var f in files)
                if (!File.Exists(f)) throw new AutoGradException($"{f}: image file not found");
            var results = files.Select(f => (File: f, Top: Predictor.Predict(ckpt, f, k))).ToList();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(Output.ToJson(results.Select(r => new
                {
                    image = r.File,
                    top = r.Top.Select(p => new { @class = p.Class, index = p.Index, probability = p.Probability }),
                })));
                return 0;
            }
            foreach (var (file, predictions) in results)
            {
                output.WriteLine(file);
                foreach (var p in predictions) output.WriteLine($"  {p.Probability,7:P2}  {p.Class}");
            }
            return 0;
        });
        return command;
    }
}
