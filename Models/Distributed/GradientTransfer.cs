using System.Text.Json.Serialization;

namespace AutoGrad.Models.Distributed;

/// <summary>How data-parallel ranks put their gradients on the wire. A single process transfers nothing and ignores it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GradientTransfer>))]
public enum GradientTransfer
{
    /// <summary>Every gradient float32, summed exactly as MPI sums floats.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "the member names the number format on the wire")]
    Float32,

    /// <summary>
    /// Half the bytes: each rank sends its gradient rounded to bfloat16 and keeps the rounding error in a float32
    /// residual per parameter that it adds to the next step's gradient (error feedback); the sum is in bfloat16
    /// through a user-defined MPI operation (<see cref="BFloat16"/>).
    /// </summary>
    BFloat16,
}
