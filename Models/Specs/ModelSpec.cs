namespace AutoGrad.Models.Specs;

/// <summary>
/// A network as data: a name, the input shape [C, H, W] (or [features]) and an ordered list of layers.
/// The zoo and user JSON files share this schema (<see cref="SpecJson"/>).
/// </summary>
public sealed record ModelSpec
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required int[] Input { get; init; }
    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    public int Channels => Input.Length == 3 ? Input[0] : 1;
    public int Height => Input.Length == 3 ? Input[1] : 1;
    public int Width => Input.Length == 3 ? Input[2] : Input[0];
}
