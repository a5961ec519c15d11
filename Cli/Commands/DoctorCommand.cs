using System.CommandLine;
using AutoGrad.Models.Data;
using AutoGrad.Models.Diagnostics;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Cli.Commands;

internal static class DoctorCommand
{
    public static Command Create()
    {
        var defaults = new DoctorOptions();
        var train = new TrainOptions { OutputDirectory = "" };
        var model = CommonOptions.Model();
        var data = CommonOptions.Data();
        var batch = new Option<int>("--batch") { Description = "Images per step", DefaultValueFactory = _ => train.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Base learning rate", DefaultValueFactory = _ => train.LearningRate };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd, momentum, nesterov, adam or adamw", DefaultValueFactory = _ => train.Optimizer };
        var momentum = new Option<double>("--momentum") { Description = "Momentum for momentum/nesterov", DefaultValueFactory = _ => train.Momentum };
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 weight decay (decoupled for adamw)", DefaultValueFactory = _ => train.WeightDecay };
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation, sampling and dropout", DefaultValueFactory = _ => train.Seed };
        var clip = new Option<double>("--clip") { Description = "Clip the global gradient norm to this value (0 = off)", DefaultValueFactory = _ => 0 };
        var smoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing ε for the cross-entropy", DefaultValueFactory = _ => 0 };
        var threads = CommonOptions.Threads();
        var noShuffle = new Option<bool>("--no-shuffle") { Description = "Batches in stored order, as a pipeline without shuffling would see them" };
        var normalization = new Option<string>("--normalization") { Description = "Statistics the inputs are standardised with: train, test, none (x/255) or raw (0–255)", DefaultValueFactory = _ => defaults.Normalization };
        normalization.AcceptOnlyFromAmong([.. DoctorOptions.NormalizationSources]);
        var steps = new Option<int>("--steps") { Description = "Training steps the health check watches", DefaultValueFactory = _ => defaults.HealthSteps };
        var samples = new Option<int>("--samples") { Description = "Samples for the float64 gradient audit", DefaultValueFactory = _ => defaults.AuditSamples };
        var skip = new Option<string[]>("--skip") { Description = $"Parts to skip: {string.Join(", ", DoctorOptions.Parts)} (comma-separated)", AllowMultipleArgumentsPerToken = true };
        var json = CommonOptions.Json();
        var output = new Option<string?>("--out", "-o") { Description = "Folder for report.json/.txt, gradcheck.txt, health.dot and montage.png" };
        var command = new Command("doctor", "Say why a network does not learn: gradient audit, training health, sanity ladder and dataset audit")
        {
            model, data, batch, lr, optimizer, momentum, weightDecay, seed, clip, smoothing, threads, noShuffle, normalization, steps, samples, skip, json, output,
        };
        command.SetAction(parse =>
        {
            var options = new DoctorOptions
            {
                BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr), Optimizer = parse.GetValue(optimizer)!,
                Momentum = parse.GetValue(momentum), WeightDecay = parse.GetValue(weightDecay), Seed = parse.GetValue(seed),
                ClipNorm = parse.GetValue(clip), LabelSmoothing = parse.GetValue(smoothing), Shuffle = !parse.GetValue(noShuffle),
                Normalization = parse.GetValue(normalization)!, HealthSteps = parse.GetValue(steps), AuditSamples = parse.GetValue(samples),
                Skip = (parse.GetValue(skip) ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(),
                OutputDirectory = parse.GetValue(output), Compute = new ComputeSettings { Threads = parse.GetValue(threads) },
            };
            options.Validate();
            var spec = ModelZoo.Resolve(parse.GetValue(model)!);
            string source = parse.GetValue(data)!;
            int classes = 0;
            var report = Doctor.Run(spec, c => new ModelRecipe(spec, classes = c, options.Seed), source, options,
                new DataLoadOptions { MaxDegreeOfParallelism = parse.GetValue(threads) });
            var writer = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) writer.WriteLine(Flags.Render(report.ToJson()));
            else
            {
                writer.WriteLine($"autograd doctor: {spec.Name} on {source} ({(classes > 0 ? $"{classes} classes" : "not loaded")}), {options.Optimizer} lr {options.LearningRate}, batch {options.BatchSize}");
                writer.Write(Flags.Render(report.ToText()));
            }
            return report.Errors.Any() ? 3 : 0;
        });
        return command;
    }
}
