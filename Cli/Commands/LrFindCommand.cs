using System.CommandLine;
using AutoGrad.Models;
using AutoGrad.Models.Data;
using AutoGrad.Models.Reporting;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Cli.Commands;

/// <summary><c>autograd lr-find</c>: the learning-rate range test (see <see cref="LearningRateFinder"/>).</summary>
internal static class LrFindCommand
{
    public static Command Create()
    {
        var finder = new LearningRateFinder();
        var model = CommonOptions.Model();
        var data = CommonOptions.Data();
        var config = CommonOptions.Config();
        var min = new Option<double>("--min-lr") { Description = "First (smallest) rate", DefaultValueFactory = _ => finder.MinRate };
        var max = new Option<double>("--max-lr") { Description = "Last (largest) rate", DefaultValueFactory = _ => finder.MaxRate };
        var steps = new Option<int>("--steps") { Description = "Training steps, one batch each, rates spaced exponentially", DefaultValueFactory = _ => finder.Steps };
        var plot = new Option<string>("--plot") { Description = "Where to write the figure", DefaultValueFactory = _ => "lr-find.png" };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("lr-find", "Learning-rate range test: train with an exponentially growing rate, plot the smoothed loss, suggest a rate")
        {
            model, data, config, min, max, steps, plot, threads, json,
        };
        command.SetAction(parse =>
        {
            bool Given(Option o) => parse.GetResult(o) is { Implicit: false };
            var defaults = new TrainOptions { OutputDirectory = "" };
            var file = parse.GetValue(config) is { } path ? RunConfiguration.Load(path, defaults) : null;
            var options = (file?.Options ?? defaults) with { Threads = Given(threads) || file?.Keys.Contains(nameof(TrainOptions.Threads)) != true ? parse.GetValue(threads) : file!.Options.Threads };
            string modelName = Given(model) || file?.Model is null ? parse.GetValue(model)! : file.Model;
            string dataName = Given(data) || options.Data is null ? parse.GetValue(data)! : options.Data;
            var test = finder with { MinRate = parse.GetValue(min), MaxRate = parse.GetValue(max), Steps = parse.GetValue(steps) };
            test.Validate();
            options.Validate();
            string plotPath = parse.GetValue(plot)!;
            var spec = ModelZoo.Resolve(modelName);
            using var splits = DatasetCatalog.Load(dataName, spec.Channels, spec.Height, spec.Width, new DataLoadOptions { MaxDegreeOfParallelism = options.Threads });
            var network = ModelBuilder.Build<float>(spec, splits.Train.Classes.Count, options.Seed);
            var result = test.Run(network, splits.Train, Normalization.Compute(splits.Train), options);
            LearningRatePlot.Save(plotPath, result);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) output.WriteLine(result.ToJson());
            else output.WriteLine($"suggested learning rate {result.Suggested:G3} (steepest descent of the smoothed loss; {result.Points.Count} steps, "
                + $"{(result.Diverged ? $"diverged at {result.Points[^1].LearningRate:G3}" : "no divergence")}); plot: {plotPath}");
            return 0;
        });
        return command;
    }
}
