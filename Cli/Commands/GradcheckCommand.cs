using System.CommandLine;
using System.Text.Json;
using AutoGrad.Models.Data;
using AutoGrad.Models.Diagnostics;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Cli.Commands;

internal static class GradcheckCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data();
        var samples = new Option<int>("--samples") { Description = "Real samples (float64) to audit on", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation, samples and probes", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("gradcheck", "Audit every layer's backward (and dL/dθ end to end) of the real model in float64 on real samples")
        {
            model, data, samples, seed, json,
        };
        command.SetAction(parse =>
        {
            var spec = ModelZoo.Resolve(parse.GetValue(model)!);
            var options = new DoctorOptions { AuditSamples = parse.GetValue(samples), Seed = parse.GetValue(seed) };
            options.Validate();
            using var splits = DatasetCatalog.Load(parse.GetValue(data)!, spec.Channels, spec.Height, spec.Width);
            var recipe = new ModelRecipe(spec, splits.Train.Classes.Count, options.Seed);
            var audit = Doctor.Audit(recipe, splits.Train, Doctor.NormalizationFor(splits, "train"), options);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
                output.WriteLine(Output.ToJson(audit.All.Select(r => new
                {
                    node = r.Node, op = r.Op, input = r.Input, shape = r.Shape, relative_error = r.RelativeError,
                    pass = r.Passed, status = r.Status.ToString().ToLowerInvariant(), redraws = r.Redraws,
                })));
            else
            {
                output.Write(DoctorReport.AuditTable(audit));
                output.WriteLine(audit.Passed ? "all probes pass" : $"{audit.All.Count(r => !r.Passed)} probes FAIL");
            }
            return audit.Passed ? 0 : 3;
        });
        return command;
    }
}
