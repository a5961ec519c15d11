using System.CommandLine;
using AutoGrad.Models;
using AutoGrad.Models.Diagnostics;
using AutoGrad.Models.Inspection;
using AutoGrad.Models.IO;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Cli.Commands;

internal static class GraphCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var classes = CommonOptions.Classes();
        var format = new Option<string>("--format") { Description = "dot, svg or png (svg/png need Graphviz's dot)", DefaultValueFactory = _ => "dot" };
        format.AcceptOnlyFromAmong("dot", "svg", "png");
        var output = new Option<string?>("--out", "-o") { Description = "Output file (default: DOT to stdout)" };
        var backward = new Option<bool>("--backward") { Description = "Also draw the gradient flow" };
        var health = new Option<bool>("--health") { Description = "Colour nodes by gradient norm, dead ReLU share and gradient-audit failures on real samples of --data" };
        var data = CommonOptions.Data();
        var command = new Command("graph", "The model's computational graph (forward pass and loss) as Graphviz DOT, SVG or PNG") { model, classes, format, output, backward, health, data };
        command.SetAction(parse =>
        {
            var net = ModelBuilder.Build<float>(ModelZoo.Resolve(parse.GetValue(model)!), parse.GetValue(classes));
            string dot = parse.GetValue(health) ? HealthOverlayDot.Render(net.Spec, parse.GetValue(data)!) : ModelGraph.Capture(net).ToDot(parse.GetValue(backward));
            string fmt = parse.GetValue(format)!;
            string? path = parse.GetValue(output);
            if (fmt == "dot")
            {
                if (path is null) parse.InvocationConfiguration.Output.Write(dot);
                else AtomicFile.WriteAllText(path, dot);
                return 0;
            }
            if (path is null) throw new AutoGradException($"--format {fmt} needs --out FILE");
            GraphvizRenderer.Render(dot, fmt, path);
            return 0;
        });
        return command;
    }
}
