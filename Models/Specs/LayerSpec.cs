namespace AutoGrad.Models.Specs;

/// <summary>
/// One layer of a model spec. Only the output size is declared (<see cref="Out"/>); input features and
/// channels are inferred from the previous layer. <see cref="Out"/> = <see cref="Classes"/> (JSON
/// <c>"classes"</c>) means "as many as the data has classes".
/// </summary>
public sealed record LayerSpec
{
    public const int Classes = -1;

    /// <summary>linear, conv2d, residual (a basic residual block, see <c>ResidualLayer</c>), max_pool2d, avg_pool2d, global_avg_pool2d, batch_norm2d, dropout, flatten, relu, leaky_relu, sigmoid, tanh, swish, gelu.</summary>
    public required string Type { get; init; }
    public string? Name { get; init; }
    public int? Out { get; init; }
    public int? Kernel { get; init; }
    public int? Stride { get; init; }
    public int? Padding { get; init; }
    /// <summary>Dropout probability.</summary>
    public double? P { get; init; }
    /// <summary>LeakyReLU negative slope.</summary>
    public double? Slope { get; init; }
    /// <summary>Weight initialiser: he_normal (default for hidden layers), he_uniform, xavier_normal, xavier_uniform, lecun_uniform (default for "out": "classes").</summary>
    public string? Init { get; init; }
    public bool? Bias { get; init; }
}
