using System.CommandLine;
using AutoGrad.Models;
using AutoGrad.Models.Inspection;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Cli.Commands;

internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var classes = CommonOptions.Classes();
        var batch = new Option<int>("--batch") { Description = "Batch size for multiply-adds and activation memory", DefaultValueFactory = _ => 1 };
        var command = new Command("summary", "Per-layer output shape, parameters, multiply-adds and activation memory") { model, classes, batch };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(batch);
            if (n < 1) throw new AutoGradException($"--batch must be at least 1 (got {n})");
            var net = ModelBuilder.Build<float>(ModelZoo.Resolve(parse.GetValue(model)!), parse.GetValue(classes), initialize: false);
            parse.InvocationConfiguration.Output.Write(ModelSummary.Format(net, n));
            return 0;
        });
        return command;
    }
}
