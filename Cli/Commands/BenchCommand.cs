using System.CommandLine;
using System.Globalization;
using AutoGrad.Models.Benchmarks;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Cli.Commands;

internal static class BenchCommand
{
    /// <summary>The issue's workloads W1–W4: model, classes, batch.</summary>
    private static readonly (string Model, int Classes, int Batch)[] Workloads =
        [("lenet5", 10, 64), ("two-layer-net", 10, 64), ("seed-lenet5", 50, 32), ("seed-lenet5-improved", 50, 32)];

    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = "Model to time (default: the four standard workloads)" };
        var classes = new Option<int?>("--classes") { Description = "Output classes (default 10, or 50 for the seed models)" };
        var batch = new Option<int?>("--batch") { Description = "Batch size (default 64, or 32 for the seed models)" };
        var steps = new Option<int>("--steps") { Description = "Timed steps (median reported)", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed warm-up steps", DefaultValueFactory = _ => 2 };
        var data = new Option<string?>("--data") { Description = "Time one training epoch on this dataset instead, loading included (W5: --data fashion-mnist)" };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("bench", "Time training steps (forward, backward, SGD momentum) on synthetic data, or one epoch on a dataset") { model, classes, batch, steps, warmup, data, threads, json };
        command.SetAction(parse =>
        {
            using var compute = CommonOptions.UseThreads(parse.GetValue(threads));
            if (parse.GetValue(warmup) < 0) throw new AutoGradException("--warmup must be ≥ 0");
            if (parse.GetValue(data) is { } dataset)
            {
                // One epoch of the real data: step counts and class counts come from the data, not from flags.
                foreach (var ignored in new Option[] { steps, warmup, classes })
                    if (parse.GetResult(ignored) is { Implicit: false })
                        throw new AutoGradException($"{ignored.Name} does not apply with --data (bench --data times one whole epoch of the dataset)");
                return Epoch(parse, dataset, parse.GetValue(model) ?? "lenet5", parse.GetValue(batch) ?? 64, parse.GetValue(json));
            }
            var chosen = parse.GetValue(model) is { } name
                ? [(name, parse.GetValue(classes) ?? (name.StartsWith("seed-", StringComparison.Ordinal) ? 50 : 10), parse.GetValue(batch) ?? (name.StartsWith("seed-", StringComparison.Ordinal) ? 32 : 64))]
                : Workloads.Select(w => (w.Model, parse.GetValue(classes) ?? w.Classes, parse.GetValue(batch) ?? w.Batch)).ToArray();
            var output = parse.InvocationConfiguration.Output;
            if (!parse.GetValue(json))
                output.WriteLine($"{"model",-22} {"batch",5} {"threads",7} {"img/s",10} {"ms/step",9} {"GFLOP/s",8} {"alloc/step",12} {"peak RSS",9}");
            foreach (var (modelName, c, b) in chosen)
            {
                var r = TrainingBenchmark.Run(ModelZoo.Resolve(modelName), c, b, parse.GetValue(steps), parse.GetValue(warmup));
                if (parse.GetValue(json))
                    output.WriteLine(Output.ToJson(new
                    {
                        model = r.Model, batch = r.Batch, threads = r.Threads, steps = r.Steps, img_per_s = Math.Round(r.ImagesPerSecond, 2),
                        ms_per_step = Math.Round(r.MsPerStep, 3), gflops = Math.Round(r.Gflops, 2), alloc_bytes_per_step = r.AllocatedBytesPerStep,
                        peak_rss_mb = Math.Round(r.PeakRssMb, 1),
                    }));
                else
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{r.Model,-22} {r.Batch,5} {r.Threads,7} {r.ImagesPerSecond,10:N1} {r.MsPerStep,9:F2} {r.Gflops,8:F1} {r.AllocatedBytesPerStep / 1e6,9:F2} MB {r.PeakRssMb,6:F0} MB"));
            }
            return 0;
        });
        return command;
    }

    private static int Epoch(ParseResult parse, string dataset, string modelName, int batch, bool json)
    {
        var r = EpochBenchmark.Run(ModelZoo.Resolve(modelName), dataset, batch);
        var output = parse.InvocationConfiguration.Output;
        if (json)
            output.WriteLine(Output.ToJson(new
            {
                model = r.Model, data = r.Data, batch = r.Batch, threads = r.Threads, train_images = r.TrainImages, load_s = Math.Round(r.LoadSeconds, 3),
                epoch_s = Math.Round(r.EpochSeconds, 3), img_per_s = Math.Round(r.ImagesPerSecond, 1), test_accuracy = Math.Round(r.TestAccuracy, 4),
                peak_rss_mb = Math.Round(r.PeakRssMb, 1),
            }));
        else
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Model} on {r.Data}: load {r.LoadSeconds:F2} s, epoch (train + test evaluation) {r.EpochSeconds:F2} s, {r.ImagesPerSecond:N0} training img/s overall, test accuracy {r.TestAccuracy:P2}, peak RSS {r.PeakRssMb:F0} MB"));
        return 0;
    }
}
