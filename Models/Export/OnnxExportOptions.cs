namespace AutoGrad.Models.Export;

/// <summary>How a checkpoint becomes an ONNX model.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// Opset 17 (ONNX 1.12, 2022) is read by every maintained runtime; 13 is the first with today's Softmax
    /// semantics (one axis, not "flatten to 2-D"); 22 is the newest whose IR version (10) our vendored schema describes.
    /// </summary>
    public const int DefaultOpset = 17, MinOpset = 13, MaxOpset = 22;

    /// <summary>The ai.onnx operator set version the model imports.</summary>
    public int Opset { get; init; } = DefaultOpset;

    /// <summary>
    /// Fold the checkpoint's per-channel mean and std into the graph, so the model takes pixel/255 in [0, 1];
    /// otherwise it takes (pixel/255 − mean)/std, exactly what the network saw in training.
    /// </summary>
    public bool IncludeNormalization { get; init; }

    /// <summary>End with a softmax: output <c>probabilities</c> instead of <c>logits</c>.</summary>
    public bool WithSoftmax { get; init; }

    /// <summary>The output's name in the graph.</summary>
    public string OutputName => WithSoftmax ? "probabilities" : "logits";

    public static bool IsSupported(int opset) => opset is >= MinOpset and <= MaxOpset;

    public void Validate()
    {
        if (!IsSupported(Opset))
            throw new AutoGradException($"ONNX opset {Opset} is not supported: expected {MinOpset} to {MaxOpset} (default {DefaultOpset})");
    }

    /// <summary>The IR version that goes with an opset (ONNX's versioning table): the lowest that can carry it, for the widest reach.</summary>
    internal static long IrVersion(int opset) => opset switch
    {
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };
}
