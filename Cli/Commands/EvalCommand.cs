using System.CommandLine;
using AutoGrad.Models.Data;
using AutoGrad.Models.IO;
using AutoGrad.Models.Training;

namespace AutoGrad.Cli.Commands;

internal static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "Run folder or .safetensors file", Required = true };
        var data = CommonOptions.Data();
        var split = new Option<string>("--split") { Description = "train, val or test", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("train", "val", "test");
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        var command = new Command("eval", "Loss, top-1, top-5 and per-class accuracy of a checkpoint on a dataset split") { checkpoint, data, split, json, threads };
        command.SetAction(parse =>
        {
            using var compute = CommonOptions.UseThreads(parse.GetValue(threads));
            var ckpt = Checkpoint.Load(parse.GetValue(checkpoint)!);
            var spec = ckpt.Model.Spec;
            using var splits = DatasetCatalog.Load(parse.GetValue(data)!, spec.Channels, spec.Height, spec.Width);
            var dataset = parse.GetValue(split) switch
            {
                "train" => splits.Train,
                "val" => splits.Validation ?? throw new AutoGradException($"--split val: dataset '{parse.GetValue(data)}' has no validation split"),
                _ => splits.Test,
            };
            if (dataset.Classes.Count != ckpt.Classes.Count)
                throw new AutoGradException($"--data: {dataset.Name} has {dataset.Classes.Count} classes but the checkpoint was trained on {ckpt.Classes.Count}");
            var r = Evaluation.Run(ckpt.Model, dataset, ckpt.Normalization);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                var perClass = ckpt.Classes.Select((c, i) => new KeyValuePair<string, double?>(c, double.IsNaN(r.PerClass[i]) ? null : r.PerClass[i]))
                    .ToDictionary();
                output.WriteLine(Output.ToJson(new { loss = r.Loss, accuracy = r.Accuracy, top5 = r.Top5, per_class = perClass, count = r.Count, split = dataset.Name }));
                return 0;
            }
            output.WriteLine($"{dataset.Name}: {r.Count:N0} images, loss {r.Loss:F4}, accuracy {r.Accuracy:P2}, top-5 {r.Top5:P2}");
            for (int i = 0; i < ckpt.Classes.Count; i++) output.WriteLine($"  {ckpt.Classes[i],-24} {r.PerClass[i]:P2}");
            return 0;
        });
        return command;
    }
}
