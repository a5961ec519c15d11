using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace AutoGrad.Cli.Commands;

internal static class Logging
{
    /// <summary>Single-line console logs on stderr, so stdout stays clean for results and JSON.</summary>
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(b =>
    {
        b.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
    });
}
