namespace AutoGrad;

/// <summary>
/// The ambient <see cref="ComputeSettings"/>: per logical call flow (an <see cref="AsyncLocal{T}"/>), so a setting
/// made by one run is seen by the kernels it calls, by the <see cref="Parallel"/> workers they start (the execution
/// context flows into them) and by nothing else. There is no process-wide setter: two trainers on two threads
/// cannot change each other's thread count or convolution algorithm.
/// </summary>
public static class Compute
{
    private static readonly AsyncLocal<ComputeSettings?> current = new();

    /// <summary>The settings of the innermost open scope, or <see cref="ComputeSettings.Default"/>.</summary>
    public static ComputeSettings Current => current.Value ?? ComputeSettings.Default;

    /// <summary>Makes <paramref name="settings"/> current until the returned scope is disposed (then the previous ones are back).</summary>
    public static Scope Use(ComputeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var previous = current.Value;
        current.Value = settings;
        return new Scope(previous);
    }

    /// <summary>Restores the settings that were current before <see cref="Use"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly ComputeSettings? previous;

        internal Scope(ComputeSettings? previous) => this.previous = previous;

        public void Dispose() => current.Value = previous;
    }
}
