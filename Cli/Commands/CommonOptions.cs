using System.CommandLine;
using AutoGrad.Models.Data;

namespace AutoGrad.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string> Model(string defaultModel = "lenet5") =>
        new("--model", "-m") { Description = "Zoo model name or a JSON spec file", DefaultValueFactory = _ => defaultModel };

    public static Option<string> Data(string? defaultData = DatasetCatalog.FashionMnistMini) => new("--data", "-d")
    {
        Description = $"Dataset: {string.Join(", ", DatasetCatalog.Names)}, or a folder (list files, class folders or IDX files)",
        DefaultValueFactory = defaultData is null ? null : _ => defaultData,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of text" };

    public static Option<int> Classes() => new("--classes") { Description = "Number of output classes to build the model for", DefaultValueFactory = _ => 10 };

    public static Option<int> Threads() => new("--threads") { Description = "Worker threads for kernels and decoding", DefaultValueFactory = _ => Environment.ProcessorCount };

    /// <summary>Makes <paramref name="threads"/> the kernels' thread count until the scope ends.</summary>
    public static Compute.Scope UseThreads(int threads) => Compute.Use(new ComputeSettings { Threads = threads });
}
