namespace AutoGrad.Tools.PhotoSet;

/// <summary>
/// SplitMix64: a tiny generator whose output depends only on the seed, so a set is the same on every .NET
/// version and machine (System.Random's seeded algorithm is an implementation detail).
/// </summary>
public struct Rng(ulong seed)
{
    private ulong _state = seed;

    /// <summary>Mixes a set seed and an image index into that image's own seed (independent of thread order).</summary>
    public static ulong Derive(long setSeed, long index)
    {
        var r = new Rng(((ulong)setSeed * 0x9E3779B97F4A7C15UL) ^ ((ulong)index + 0x632BE59BD9B4E019UL));
        r.NextULong();
        return r.NextULong();
    }

    public ulong NextULong()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [low, high] inclusive.</summary>
    public int Between(int low, int high) => low + (int)(NextULong() % (ulong)(high - low + 1));

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Approximately standard normal: the sum of four uniforms, rescaled (cheap enough per pixel).</summary>
    public double Normal()
    {
        ulong bits = NextULong();
        double sum = (bits & 0xFFFF) + ((bits >> 16) & 0xFFFF) + ((bits >> 32) & 0xFFFF) + (bits >> 48);
        // Each 16-bit part has mean 32767.5 and variance 65536²/12; four of them: σ = 65536/√3.
        return (sum - 4 * 32767.5) / (65536.0 / Math.Sqrt(3));
    }
}
