using AutoGrad.Cli;

namespace AutoGrad.Tests.Cli;

/// <summary>Runs <see cref="CliApp"/> in-process with captured stdout and stderr.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>Asserts a zero exit code, showing stderr when it is not.</summary>
    public static Result Succeeds(params string[] args)
    {
        var r = Run(args);
        Assert.True(r.ExitCode == 0, $"autograd {string.Join(' ', args)} exited {r.ExitCode}: {r.Error}");
        return r;
    }

    /// <summary>Asserts a non-zero exit code and a one-line message on stderr without a stack trace.</summary>
    public static Result Fails(string[] args, params string[] fragments)
    {
        var r = Run(args);
        Assert.True(r.ExitCode != 0, $"autograd {string.Join(' ', args)} should fail; stdout: {r.Output}");
        string message = r.Error.TrimEnd('\r', '\n');
        Assert.False(string.IsNullOrWhiteSpace(message), "stderr is empty");
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain("   at ", r.Error);
        Assert.DoesNotContain('`', message);   // a library term (`LearningRate`) the CLI did not map to its flag
        foreach (string f in fragments) Assert.Contains(f, message);
        return r;
    }
}
