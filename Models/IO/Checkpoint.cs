using System.Text.Json;
using AutoGrad.Models.Data;
using AutoGrad.Models.Specs;

namespace AutoGrad.Models.IO;

/// <summary>
/// A trained model in one safetensors file: weights and BatchNorm buffers under their layer names
/// (PyTorch layouts), and in <c>__metadata__</c> the spec (<c>autograd.spec</c>), class names
/// (<c>autograd.classes</c>) and input normalisation (<c>autograd.normalize</c>): all predict needs.
/// </summary>
public sealed record Checkpoint(Model<float> Model, IReadOnlyList<string> Classes, Normalization Normalization)
{
    public const string SpecKey = "autograd.spec", ClassesKey = "autograd.classes", NormalizeKey = "autograd.normalize";

    /// <summary>All metadata of the file this checkpoint was loaded from (empty for one made in memory).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public void Save(string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var tensors = Model.StateTensors().Select(s => new NamedTensor(s.Name, s.Value.Shape, s.Value.Data));
        var metadata = new Dictionary<string, string>
        {
            [SpecKey] = SpecJson.Write(Model.Spec),
            [ClassesKey] = JsonSerializer.Serialize(Classes),
            [NormalizeKey] = JsonSerializer.Serialize(new { mean = Normalization.Mean, std = Normalization.Std }),
        };
        foreach (var (key, value) in extraMetadata ?? new Dictionary<string, string>()) metadata[key] = value;
        SafeTensors.Save(path, tensors, metadata);
    }

    /// <summary>Loads a checkpoint file, or <c>best.safetensors</c> (else <c>last.safetensors</c>) from a run folder.</summary>
    public static Checkpoint Load(string fileOrRunDir)
    {
        string path = ResolvePath(fileOrRunDir);
        var file = SafeTensors.Load(path);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var v) ? v
            : throw new AutoGradException($"{path}: metadata '{key}' is missing; this file was not written by autograd train");
        var spec = SpecJson.Parse(Meta(SpecKey), $"{path} ({SpecKey})");
        string[] classes;
        float[] mean, std;
        try
        {
            classes = JsonSerializer.Deserialize<string[]>(Meta(ClassesKey)) ?? [];
            using var norm = JsonDocument.Parse(Meta(NormalizeKey));
            mean = norm.RootElement.GetProperty("mean").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            std = norm.RootElement.GetProperty("std").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new AutoGradException($"{path}: malformed autograd metadata: {e.Message.Split('\n')[0]}");
        }
        if (classes.Length == 0) throw new AutoGradException($"{path}: metadata '{ClassesKey}' lists no classes");
        if (mean.Length != spec.Channels || std.Length != spec.Channels || std.Any(s => !(s > 0)))
            throw new AutoGradException($"{path}: metadata '{NormalizeKey}' must hold {spec.Channels} means and positive stds");
        var model = ModelBuilder.Build<float>(spec, classes.Length, initialize: false);
        model.LoadState(name => file.TryGet(name, out var t) ? (t.Shape, i => t.Data[i]) : null, path);
        return new Checkpoint(model, classes, new Normalization(mean, std)) { Metadata = file.Metadata };
    }

    public static string ResolvePath(string fileOrRunDir)
    {
        if (File.Exists(fileOrRunDir)) return fileOrRunDir;
        if (Directory.Exists(fileOrRunDir))
            foreach (var name in new[] { "best.safetensors", "last.safetensors" })
            {
                var candidate = Path.Combine(fileOrRunDir, name);
                if (File.Exists(candidate)) return candidate;
            }
        throw new AutoGradException($"`Checkpoint`: '{fileOrRunDir}' is neither a .safetensors file nor a run folder with best.safetensors or last.safetensors");
    }
}
