using System.CommandLine;
using AutoGrad.Models;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Cli.Commands;

internal static class ModelsCommand
{
    public static Command Create()
    {
        var list = new Command("models", "List the model zoo");
        list.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            foreach (var spec in ModelZoo.All)
            {
                long parameters = ModelBuilder.Build<float>(spec, 10, initialize: false).ParameterCount;
                output.WriteLine($"{spec.Name,-22} {Shapes.Format(spec.Input),-14} {parameters,12:N0} params (10 classes)  {spec.Description}");
            }
            return 0;
        });
        var name = new Argument<string>("name") { Description = "Zoo model name or JSON spec file" };
        var json = CommonOptions.Json();
        var show = new Command("show", "Print a model spec (the JSON schema user specs use)") { name, json };
        show.SetAction(parse =>
        {
            var spec = ModelZoo.Resolve(parse.GetValue(name)!);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) { output.Write(SpecJson.Write(spec)); return 0; }
            output.WriteLine($"{spec.Name}: {spec.Description}");
            output.WriteLine($"input {Shapes.Format(spec.Input)}");
            foreach (var l in spec.Layers)
                output.WriteLine($"  {l.Type}{(l.Out is int o ? $" out={(o == LayerSpec.Classes ? "classes" : o)}" : "")}{(l.Kernel is int k ? $" kernel={k}" : "")}{(l.Stride is int s ? $" stride={s}" : "")}{(l.Padding is int p ? $" padding={p}" : "")}{(l.P is double d ? $" p={d}" : "")}");
            return 0;
        });
        list.Add(show);
        return list;
    }
}
