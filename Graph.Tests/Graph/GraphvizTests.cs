using System.Diagnostics;
using AutoGrad.Ops;

namespace AutoGrad.Tests.Graph;

/// <summary>The DOT we write must be accepted by Graphviz itself (CI installs it; without it we fall back to a bracket/quote check).</summary>
public class GraphvizTests
{
    [Fact]
    public void GraphvizAcceptsForwardAndBackwardDot()
    {
        var x = Node<float>.Input(new Tensor<float>(2, 3), "x \"quoted\"");
        var w = Node<float>.Parameter(new Tensor<float>(4, 3), "fc.weight");
        Node<float> y;
        using (LayerScope.Enter("fc \"1\"")) y = Relu.Apply(Linear.Apply(x, w));
        var graph = CapturedGraph<float>.FromOutputs(Sum.Apply(y));
        foreach (bool backward in new[] { false, true })
        {
            string dot = graph.ToDot(backward);
            var (ok, message) = Validate(dot);
            Assert.True(ok, message);
        }
    }

    internal static (bool Ok, string Message) Validate(string dot)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("dot", "-Tsvg")
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            })!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardInput.Write(dot);
            p.StandardInput.Close();
            p.WaitForExit();
            return (p.ExitCode == 0 && stdout.Result.Contains("<svg") && stderr.Result.Length == 0, $"dot exit {p.ExitCode}: {stderr.Result}\n{dot}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Graphviz absent: at least every quote is escaped in pairs and braces balance.
            int quotes = dot.Replace("\\\"", "").Count(c => c == '"');
            return (quotes % 2 == 0 && dot.Count(c => c == '{') == dot.Count(c => c == '}'), "unbalanced DOT:\n" + dot);
        }
    }
}
