namespace AutoGrad;

/// <summary>
/// Derives independent, reproducible seeds from a base seed and coordinates (layer index, epoch, batch).
/// Not <c>HashCode.Combine</c>: that is randomised per process, which would make runs unrepeatable.
/// SplitMix64 finaliser: every input bit affects every output bit.
/// </summary>
public static class SeedMix
{
    /// <summary>A seed for (<paramref name="seed"/>, <paramref name="coordinates"/>…): equal inputs give equal seeds in every process.</summary>
    public static int Combine(int seed, params ReadOnlySpan<int> coordinates)
    {
        ulong h = (ulong)(uint)seed ^ 0x9E3779B97F4A7C15UL;
        foreach (int c in coordinates) h = Mix(h + (ulong)(uint)c + 0x9E3779B97F4A7C15UL);
        return (int)(Mix(h) & int.MaxValue);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
