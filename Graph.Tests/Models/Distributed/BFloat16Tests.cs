using AutoGrad.Models.Distributed;

namespace AutoGrad.Tests.Models.Distributed;

/// <summary>
/// The bfloat16 gradient transfer's arithmetic against float64: rounding, the MPI sum with its derived bound, the
/// range float16 lacks, and error feedback keeping the transferred total on the float32 total over many steps.
/// </summary>
public class BFloat16Tests
{
    /// <summary>Unit roundoff of bfloat16 (8 significant bits, round to nearest).</summary>
    private const double U = 1.0 / 256;

    private static float Random(Random rng) =>
        (float)((rng.NextDouble() * 2 - 1) * Math.Pow(2, rng.Next(-60, 60)));   // both signs, 120 binades

    [Fact]
    public void RoundingIsToNearestWithTiesToEvenAndKeepsNaN()
    {
        Assert.Equal(1f, BFloat16.Widen(BFloat16.Round(1 + 1f / 256)));                  // tie between 1 and 1 + 2⁻⁷: even is 1
        Assert.Equal(1 + 1f / 64, BFloat16.Widen(BFloat16.Round(1 + 3f / 256)));         // tie between 1 + 2⁻⁷ and 1 + 2⁻⁶: even is the latter
        Assert.Equal(1 + 1f / 128, BFloat16.Widen(BFloat16.Round(1 + 1f / 256 + 1f / 65536)));   // just past the tie: up
        Assert.True(float.IsNaN(BFloat16.Widen(BFloat16.Round(float.NaN))));
        Assert.Equal(float.NegativeInfinity, BFloat16.Widen(BFloat16.Round(float.NegativeInfinity)));
        var rng = new Random(1);
        for (int i = 0; i < 100_000; i++)
        {
            float x = Random(rng);
            double r = BFloat16.Widen(BFloat16.Round(x));
            Assert.True(Math.Abs(r - x) <= U * Math.Abs(x), $"round({x:R}) = {r:R}");
        }
    }

    [Fact]
    public void TheVectorLoopsGiveTheScalarRoundingsBitForBit()
    {
        var rng = new Random(5);
        const int n = 1003;   // vector body and scalar tail
        var g = Enumerable.Range(0, n).Select(i => i % 97 == 0 ? float.NaN : Random(rng)).ToArray();
        var r = Enumerable.Range(0, n).Select(_ => Random(rng) * 1e-3f).ToArray();
        var expectedResidual = new float[n];
        var expectedWire = new ushort[n];
        for (int i = 0; i < n; i++)
        {
            float v = g[i] * 0.25f + r[i];
            expectedWire[i] = BFloat16.Round(v);
            expectedResidual[i] = v - BFloat16.Widen(expectedWire[i]);
        }
        var wire = new ushort[n];
        BFloat16.Quantize(g, 0.25f, r, wire);
        Assert.Equal(expectedWire, wire);
        Assert.Equal(expectedResidual.Select(BitConverter.SingleToUInt32Bits), r.Select(BitConverter.SingleToUInt32Bits));
        var widened = new float[n];
        BFloat16.Widen(wire, widened);
        Assert.Equal(wire.Select(BFloat16.Widen).Select(BitConverter.SingleToUInt32Bits), widened.Select(BitConverter.SingleToUInt32Bits));
        var other = g.Reverse().Select(BFloat16.Round).ToArray();
        var sum = (ushort[])wire.Clone();
        BFloat16.Sum(other, sum);
        Assert.Equal(Enumerable.Range(0, n).Select(i => BFloat16.Round(BFloat16.Widen(other[i]) + BFloat16.Widen(wire[i]))), sum);
    }

    [Fact]
    public void TheSumOfTwoIsTheExactSumRoundedOnce()
    {
        // a, b are bfloat16; their float32 sum is exact unless the exponents differ by more than 16 (then off by
        // ≤ 2⁻²⁴ relative), and one rounding to bfloat16 adds ≤ u: |r − (a + b)| ≤ (u + 2⁻²⁴)(1 + u)|a + b|.
        var rng = new Random(2);
        const int n = 200_000;
        var a = new ushort[n];
        var b = new ushort[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = BFloat16.Round(Random(rng));
            b[i] = BFloat16.Round(rng.Next(4) == 0 ? -BFloat16.Widen(a[i]) * (1 + (float)rng.NextDouble() / 64) : Random(rng));   // cancellations too
        }
        var sum = (ushort[])b.Clone();
        BFloat16.Sum(a, sum);
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            double exact = (double)BFloat16.Widen(a[i]) + BFloat16.Widen(b[i]), got = BFloat16.Widen(sum[i]);
            Assert.True(Math.Abs(got - exact) <= (U + Math.Pow(2, -24)) * (1 + U) * Math.Abs(exact), $"{BFloat16.Widen(a[i]):R} + {BFloat16.Widen(b[i]):R} = {got:R}, exactly {exact:R}");
            if (exact != 0) worst = Math.Max(worst, Math.Abs(got - exact) / Math.Abs(exact));
        }
        Assert.True(worst > U / 2, $"worst relative error {worst:E3}: the sum was not rounded to bfloat16 at all");
    }

    [Fact]
    public void ReducingManyRanksStaysWithinTheFoldedBound()
    {
        // p ranks fold in some order, each partial sum rounded once: |r − Σx| ≤ (p − 1)(u + 2⁻²⁴)(1 + u)^(p−1) Σ|x|.
        var rng = new Random(3);
        const int p = 16, n = 20_000;
        var inputs = Enumerable.Range(0, p).Select(_ => Enumerable.Range(0, n).Select(_ => BFloat16.Round((float)(rng.NextDouble() * 2 - 1))).ToArray()).ToArray();
        var acc = (ushort[])inputs[0].Clone();
        for (int r = 1; r < p; r++) BFloat16.Sum(inputs[r], acc);
        double factor = (p - 1) * (U + Math.Pow(2, -24)) * Math.Pow(1 + U, p - 1);
        for (int i = 0; i < n; i++)
        {
            double exact = 0, magnitude = 0;
            foreach (var x in inputs) { exact += BFloat16.Widen(x[i]); magnitude += Math.Abs(BFloat16.Widen(x[i])); }
            Assert.True(Math.Abs(BFloat16.Widen(acc[i]) - exact) <= factor * magnitude, $"element {i}: {BFloat16.Widen(acc[i]):R} against {exact:R}");
        }
    }

    [Fact]
    public void GradientsFloat16WouldLoseKeepTheirSize()
    {
        // float16 flushes below 6·10⁻⁸ to zero and overflows above 65,504; bfloat16 keeps float32's range.
        foreach (float x in new[] { 1e-9f, -3e-20f, 1e-37f, 7e4f, -1e30f })
            Assert.True(Math.Abs(BFloat16.Widen(BFloat16.Round(x)) - (double)x) <= U * Math.Abs(x), $"{x:R}");
        var sum = new[] { BFloat16.Round(6e4f) };
        BFloat16.Sum([BFloat16.Round(6e4f)], sum);
        Assert.Equal(1.2e5, BFloat16.Widen(sum[0]), 1.2e5 * U);
    }

    [Fact]
    public void ErrorFeedbackKeepsTheTransferredTotalOnTheFloat32Total()
    {
        // Over T steps, Σ sent = Σ v_t − e_T with v_t = g_t + e_(t−1) computed in float32: the total is off by the
        // last residual (≤ u·|v|) plus float32's rounding of each v (≤ 2⁻²⁴|v| a step), never by T roundings to bfloat16.
        var rng = new Random(4);
        const int n = 64, steps = 2000;
        var residual = new float[n];
        var wire = new ushort[n];
        var sent = new double[n];
        var wanted = new double[n];
        var gradient = new float[n];
        double largest = 0;
        for (int t = 0; t < steps; t++)
        {
            // A persistent part (the case plain rounding biases: 0.1 is not a bfloat16) plus noise.
            for (int i = 0; i < n; i++) gradient[i] = 0.1f * (1 + i % 7) + 0.01f * (float)(rng.NextDouble() - 0.5);
            BFloat16.Quantize(gradient, 0.5f, residual, wire);
            for (int i = 0; i < n; i++)
            {
                sent[i] += BFloat16.Widen(wire[i]);
                wanted[i] += gradient[i] * 0.5f;
                largest = Math.Max(largest, Math.Abs(gradient[i] * 0.5 + residual[i]));
            }
        }
        double bound = (U + steps * Math.Pow(2, -24)) * largest;
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(sent[i] - wanted[i]) <= bound, $"element {i}: sent {sent[i]:R}, float32 total {wanted[i]:R}, bound {bound:E2}");
    }
}
