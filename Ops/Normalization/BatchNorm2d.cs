using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>
/// Batch normalisation over (N, H, W) per channel: y = γ·x̂ + β, x̂ = (x − μ)/√(σ² + ε).
/// Training: μ, σ² are the batch's (biased) statistics and the running statistics move by the momentum;
/// VJP ∂L/∂x = γ/(M·√(σ²+ε)) · (M·g − Σg − x̂·Σ(g·x̂)), M = N·H·W. Evaluation: μ, σ² are the running
/// statistics, constants, so ∂L/∂x = γ·g/√(σ²+ε). In both: ∂L/∂γ = Σ g·x̂, ∂L/∂β = Σ g.
/// </summary>
[Op("batch_norm2d")]
public static class BatchNorm2d
{
    /// <summary>
    /// Normalises <paramref name="x"/> [N, C, H, W] per channel and applies the affine <paramref name="gamma"/>, <paramref name="beta"/> [C];
    /// with <paramref name="training"/> it uses the batch statistics and moves <paramref name="state"/>'s running ones, else it uses
    /// the running statistics.
    /// </summary>
    public static Node<T> Apply<T>(Node<T> x, Node<T> gamma, Node<T> beta, BatchNormState<T> state, bool training)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var xv = x.Value;
        if (xv.Rank != 4 || xv.Shape[1] != state.Channels || gamma.Value.Length != state.Channels || beta.Value.Length != state.Channels)
            throw new AutoGradException($"batch_norm2d over {state.Channels} channels got input {Shapes.Format(xv.Shape)}, γ {Shapes.Format(gamma.Shape)}, β {Shapes.Format(beta.Shape)}");
        int n = xv.Shape[0], c = xv.Shape[1], plane = xv.Shape[2] * xv.Shape[3], m = n * plane;
        if (training && m < 2) throw new AutoGradException($"batch_norm2d in training mode needs more than one value per channel, got input {Shapes.Format(xv.Shape)}");
        T eps = T.CreateTruncating(state.Epsilon), mom = T.CreateTruncating(state.Momentum), count = T.CreateTruncating(m);
        var mean = new T[c]; var invStd = new T[c];
        // x̂ is saved for backward (returned to the pool with the node); each channel is one thread's work in a
        // fixed order, so the statistics do not depend on the thread count. Evaluation with nothing to
        // backpropagate (no-grad, or no input needing a gradient) writes y in one pass and keeps no x̂.
        bool keepXhat = training || Node<T>.WillBackprop([x, gamma, beta]);
        var xhat = keepXhat ? TensorPool.RentArray<T>(xv.Length, clear: false) : null;
        var output = TensorPool.Rent<T>(xv.Shape, clear: false);
        var (xd, gd, bd) = (xv.Data, gamma.Value.Data, beta.Value.Data);
        Threading.For(c, 1, (_, first, last) =>
        {
            for (int ch = first; ch < last; ch++)
            {
                if (training)
                {
                    T sum = T.Zero;
                    for (int b = 0; b < n; b++) sum += TP.Sum<T>(xd.AsSpan((b * c + ch) * plane, plane));
                    T mu = sum / count, sq = T.Zero;
                    for (int b = 0; b < n; b++)
                    {
                        // Two passes (mean, then squared deviations) rather than E[x²] − μ², which cancels badly.
                        var xh = xhat!.AsSpan((b * c + ch) * plane, plane);
                        TP.Subtract(xd.AsSpan((b * c + ch) * plane, plane), mu, xh);
                        sq += TP.SumOfSquares<T>(xh);
                    }
                    T variance = sq / count;
                    mean[ch] = mu;
                    invStd[ch] = T.One / T.Sqrt(variance + eps);
                    state.RunningMean.Data[ch] = (T.One - mom) * state.RunningMean.Data[ch] + mom * mu;
                    state.RunningVar.Data[ch] = (T.One - mom) * state.RunningVar.Data[ch] + mom * variance * count / (count - T.One);
                }
                else
                {
                    mean[ch] = state.RunningMean.Data[ch];
                    invStd[ch] = T.One / T.Sqrt(state.RunningVar.Data[ch] + eps);
                }
                for (int b = 0; b < n; b++)
                {
                    int off = (b * c + ch) * plane;
                    if (xhat is null)
                    {
                        BatchNormKernel.NormalizeAffine<T>(xd.AsSpan(off, plane), mean[ch], invStd[ch], gd[ch], bd[ch], output.Data.AsSpan(off, plane));
                        continue;
                    }
                    var xh = xhat.AsSpan(off, plane);
                    if (!training) TP.Subtract(xd.AsSpan(off, plane), mean[ch], xh);   // in training x − μ is already there
                    BatchNormKernel.NormalizeAffine(xh, invStd[ch], gd[ch], bd[ch], output.Data.AsSpan(off, plane));
                }
            }
        });
        var attrs = new Dictionary<string, string> { ["mode"] = training ? "train" : "eval" };
        return Node<T>.FromOp("batch_norm2d", output, [x, gamma, beta], grad =>
        {
            var gx = x.RequiresGrad ? TensorPool.Rent<T>(xv.Shape, clear: false) : null;
            var gg = TensorPool.Rent<T>([c], clear: false); var gbt = TensorPool.Rent<T>([c], clear: false);
            Threading.For(c, 1, (_, first, last) =>
            {
            for (int ch = first; ch < last; ch++)
            {
                T sumG = T.Zero, sumGX = T.Zero;
                for (int b = 0; b < n; b++)
                {
                    int off = (b * c + ch) * plane;
                    sumG += TP.Sum<T>(grad.Data.AsSpan(off, plane));
                    sumGX += TP.Dot<T>(grad.Data.AsSpan(off, plane), xhat!.AsSpan(off, plane));
                }
                gg.Data[ch] = sumGX; gbt.Data[ch] = sumG;
                if (gx is null) continue;
                T scale = gamma.Value.Data[ch] * invStd[ch];
                for (int b = 0; b < n; b++)
                {
                    int off = (b * c + ch) * plane;
                    var d = gx.Data.AsSpan(off, plane);
                    // (M·g − Σg − x̂·Σ(g·x̂)) · γ/(M·σ̂)
                    if (training) BatchNormKernel.InputGrad(xhat.AsSpan(off, plane), grad.Data.AsSpan(off, plane), -sumGX / count, sumG / count, scale, d);
                    else TP.Multiply(grad.Data.AsSpan(off, plane), scale, d);
                }
            }
            });
            return [gx, gamma.RequiresGrad ? gg : null, beta.RequiresGrad ? gbt : null];
        }, attrs, xhat is null ? null : [xhat]);
    }
}
