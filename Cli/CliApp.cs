using System.CommandLine;
using AutoGrad.Cli.Commands;

namespace AutoGrad.Cli;

/// <summary>
/// The <c>autograd</c> command line: parse, call the library, print. Every failure is one line on
/// stderr and a non-zero exit code; <c>--verbose</c> adds the stack trace.
/// </summary>
public static class CliApp
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show stack traces and debug logs", Recursive = true };

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("AutoGrad: train convolutional networks on the CPU with gradients you can trust")
        {
            TrainCommand.Create(), EvalCommand.Create(), PredictCommand.Create(), SummaryCommand.Create(),
            GraphCommand.Create(), ModelsCommand.Create(), BenchCommand.Create(), DoctorCommand.Create(), GradcheckCommand.Create(),
            ExportCommand.Create(),
        };
        root.Add(Verbose);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Prefer the error about an unrecognised token: "autograd fly" should name 'fly', not only say a command is missing.
            var first = parse.UnmatchedTokens.Count == 0 ? parse.Errors[0]
                : parse.Errors.FirstOrDefault(e => e.Message.Contains($"'{parse.UnmatchedTokens[0]}'", StringComparison.Ordinal)) ?? parse.Errors[0];
            error.WriteLine($"error: {first.Message} (see '{string.Join(' ', ["autograd", .. CommandPath(parse), "--help"])}')");
            return 2;
        }
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return parse.Invoke(config);
        }
        catch (Exception e) when (e is AutoGradException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {Flags.Render(e.Message)}");
            if (parse.GetValue(Verbose)) error.WriteLine(e);
            return 1;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var r = parse.CommandResult; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent) names.Push(r.Command.Name);
        return names;
    }
}
