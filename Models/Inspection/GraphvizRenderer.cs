using System.ComponentModel;
using System.Diagnostics;
using AutoGrad.Models.IO;

namespace AutoGrad.Models.Inspection;

/// <summary>Renders DOT to SVG or PNG with Graphviz's <c>dot</c> when it is installed.</summary>
public static class GraphvizRenderer
{
    public static void Render(string dot, string format, string path)
    {
        var info = new ProcessStartInfo("dot", $"-T{format}")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        Process process;
        try { process = Process.Start(info) ?? throw new Win32Exception(); }
        catch (Win32Exception)
        {
            throw new AutoGradException($"`Format` {format}: Graphviz 'dot' is not installed (apt-get install graphviz), or use `Format` dot");
        }
        using (process)
        {
            var stdout = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(dot);
            process.StandardInput.Close();
            copy.Wait();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new AutoGradException($"Graphviz dot failed (exit {process.ExitCode}): {errors.Result.Split('\n')[0]}");
            AtomicFile.Write(path, s => stdout.WriteTo(s));
        }
    }
}
