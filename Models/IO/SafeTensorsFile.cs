namespace AutoGrad.Models.IO;

/// <summary>The contents of a loaded safetensors file: its tensors in file order and its string metadata.</summary>
public sealed class SafeTensorsFile
{
    private readonly Dictionary<string, NamedTensor> _byName;

    internal SafeTensorsFile(string path, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The path the file was loaded from, as given to <see cref="SafeTensors.Load"/>.</summary>
    public string Path { get; }

    /// <summary>The tensors in the order their header lists them.</summary>
    public IReadOnlyList<NamedTensor> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor called <paramref name="name"/>; throws <see cref="AutoGradException"/> naming the file if absent.</summary>
    public NamedTensor this[string name] =>
        TryGet(name, out NamedTensor tensor)
            ? tensor
            : throw new AutoGradException(
                $"{Path}: no tensor named '{name}' (the file has {Tensors.Count}: {Preview()})");

    /// <summary>Looks up a tensor by exact (ordinal) name.</summary>
    public bool TryGet(string name, out NamedTensor tensor)
    {
        if (name is not null && _byName.TryGetValue(name, out NamedTensor? found))
        {
            tensor = found;
            return true;
        }
        tensor = null!;
        return false;
    }

    // A few names are enough to spot a prefix mismatch ("model.conv1" vs "conv1") without a huge message.
    private string Preview()
    {
        const int Shown = 5;
        string names = string.Join(", ", Tensors.Take(Shown).Select(t => t.Name));
        return Tensors.Count > Shown ? names + ", ..." : names;
    }
}
