using AutoGrad.Models.Layers;
using AutoGrad.Models.Training;

namespace AutoGrad.Models.Diagnostics;

/// <summary>Everything the audit measured: one row per (layer, input), then one per parameter end to end.</summary>
public sealed record GradientAuditResult(IReadOnlyList<AuditRow> Layers, IReadOnlyList<AuditRow> EndToEnd)
{
    public IEnumerable<AuditRow> All => Layers.Concat(EndToEnd);
    public bool Passed => All.All(r => r.Passed);
}

/// <summary>
/// Audits the backward of the real model, in float64, on real samples. Per layer (each layer's forward as a
/// function of its input and each of its parameters; the loss is the last "layer") a dot-product test: random
/// upstream u and direction v, ⟨VJP(u), v⟩ against ⟨u, (f(x+εv) − f(x−εv))/2ε⟩. A probe whose one-sided
/// differences disagree crossed a kink (ReLU at 0, a max-pool tie): the input is jittered and the probe
/// re-drawn instead of failed. Then end to end: dL/dθ for sampled elements of every parameter.
/// Granularity is the layer, not the node: nodes do not keep a way to re-run their op, layers do.
/// </summary>
public static class GradientAudit
{
    private const double Step = 1e-6, RelativeTolerance = 1e-5, KinkTolerance = 1e-4;
    private const int Attempts = 4, ElementsPerParameter = 3;

    /// <remarks>Side effects on <paramref name="model"/>: forward passes in training mode move BatchNorm running
    /// statistics, and parameter gradients are zeroed and overwritten. Pass a copy (<c>model.Convert&lt;T&gt;()</c>) to
    /// keep a trained model untouched; <see cref="Doctor"/> always works on models it builds itself.</remarks>
    public static GradientAuditResult Run(Model<double> model, Tensor<double> images, int[] labels, ILossFunction loss, int seed = 0)
    {
        var rng = new Random(seed);
        ForwardContext Context() => new(training: true, new Random(seed));   // same dropout mask on every pass
        IReadOnlyList<LayerTrace<double>> trace;
        using (GradMode.NoGrad()) trace = ForwardTrace.Run(model, Node<double>.Input(images), Context());

        var rows = new List<AuditRow>();
        foreach (var t in trace)
        {
            var layer = t.Layer;
            string ops = OpsOf(layer, t.Input.Value);
            rows.AddRange(ProbeFunction(layer.Name, ops, t.Input.Value, layer.Parameters, x => layer.Forward(x, Context()), rng));
        }
        var logits = trace[^1].Output.Value;
        rows.AddRange(ProbeFunction("loss", "loss", logits, [], x => loss.Apply(x, labels), rng));
        var endToEnd = EndToEnd(model, images, labels, loss, Context, rng);
        return new GradientAuditResult(rows, endToEnd);
    }

    /// <summary>Dot-product tests of f at input <paramref name="x0"/> for x and each parameter, re-drawing probes that hit kinks.</summary>
    private static List<AuditRow> ProbeFunction(string node, string op, Tensor<double> x0, IReadOnlyList<Node<double>> parameters,
        Func<Node<double>, Node<double>> f, Random rng)
    {
        var targets = new List<(string Name, Func<Tensor<double>, Tensor<double>> Data)> { ("x", x => x) };
        foreach (var p in parameters) targets.Add((p.Name!, _ => p.Value));
        var rows = new AuditRow?[targets.Count];
        var redraws = new int[targets.Count];
        for (int attempt = 0; attempt < Attempts && rows.Any(r => r is null or { Status: AuditStatus.Kink }); attempt++)
        {
            // A re-drawn probe moves off the tie (jitter) and shortens its step: ties among thousands of max-pool
            // windows are closer than ε·|v| for ε = 1e-6, rarely for 1e-8; round-off grows as 1/ε and the floor with it.
            var x = attempt == 0 ? x0.Clone() : Jitter(x0, rng);
            double step = Step * Math.Pow(10, -attempt);
            var xNode = Node<double>.Input(x, "x", requiresGrad: true);
            foreach (var p in parameters) p.ZeroGrad();
            var y = f(xNode);
            var u = Normal(y.Shape, rng);
            Autograd.Backward(y, u);
            double l0 = Objective(f, x, u, out double magnitude);
            for (int k = 0; k < targets.Count; k++)
            {
                if (rows[k] is { Status: not AuditStatus.Kink }) continue;
                var data = targets[k].Data(x);
                var grad = k == 0 ? xNode.Grad : parameters[k - 1].Grad;
                var v = Sparse(Normal(data.Shape, rng), rng);
                double analytic = grad is null ? 0 : Dot(grad.Data, v.Data);
                var saved = (double[])data.Data.Clone();
                double Shifted(double s)
                {
                    for (int i = 0; i < saved.Length; i++) data.Data[i] = saved[i] + s * step * v.Data[i];
                    return Objective(f, x, u, out _);
                }
                double plus = Shifted(1), minus = Shifted(-1);
                saved.CopyTo(data.Data, 0);
                var row = Judge(node, op, targets[k].Name, data.Shape, analytic, plus, l0, minus, magnitude, step, redraws[k], grad is null);
                if (row.Status == AuditStatus.Kink) redraws[k]++;
                rows[k] = row with { Redraws = redraws[k] };
            }
        }
        return rows.Select(r => r!).ToList();
    }

    /// <summary>Largest number of coordinates a probe direction moves.</summary>
    private const int ProbeCoordinates = 512;

    /// <summary>
    /// Keeps <see cref="ProbeCoordinates"/> random coordinates of a large direction and zeroes the rest. A dense
    /// direction over a 1.5-million-element max-pool input (an upsampled image) moves thousands of windows, and
    /// enough of them sit on near-ties that every probe crosses some; a sparse one tests the same VJP on fewer
    /// coordinates and crosses almost none.
    /// </summary>
    private static Tensor<double> Sparse(Tensor<double> v, Random rng)
    {
        if (v.Length <= ProbeCoordinates) return v;
        var kept = new Tensor<double>(v.Shape);
        for (int i = 0; i < ProbeCoordinates; i++)
        {
            int at = rng.Next(v.Length);
            kept.Data[at] = v.Data[at];
        }
        return kept;
    }

    private static List<AuditRow> EndToEnd(Model<double> model, Tensor<double> images, int[] labels, ILossFunction loss,
        Func<ForwardContext> context, Random rng)
    {
        double Loss(out double magnitude)
        {
            using var _ = GradMode.NoGrad();
            double l = loss.Apply(model.Forward(Node<double>.Input(images), context()), labels).Value.ToScalar();
            magnitude = Math.Abs(l);
            return l;
        }
        model.ZeroGrad();
        loss.Apply(model.Forward(Node<double>.Input(images), context()), labels).Backprop();
        double l0 = Loss(out double mag);
        var rows = new List<AuditRow>();
        foreach (var p in model.Parameters)
        {
            var data = p.Value.Data;
            AuditRow? worst = null;
            int redraws = 0, judged = 0;
            for (int tries = 0; judged < Math.Min(ElementsPerParameter, data.Length) && tries < ElementsPerParameter + Attempts; tries++)
            {
                int e = rng.Next(data.Length);
                double saved = data[e];
                data[e] = saved + Step; double plus = Loss(out _);
                data[e] = saved - Step; double minus = Loss(out _);
                data[e] = saved;
                double analytic = p.Grad?.Data[e] ?? 0;
                var row = Judge("model", "end-to-end", p.Name!, p.Shape, analytic, plus, l0, minus, mag, Step, redraws, p.Grad is null);
                if (row.Status == AuditStatus.Kink) { redraws++; worst ??= row; continue; }
                judged++;
                if (worst is null or { Status: AuditStatus.Kink } || row.Status == AuditStatus.Fail && worst.Status != AuditStatus.Fail
                    || row.Status == worst.Status && row.RelativeError > worst.RelativeError)
                    worst = row;
            }
            rows.Add(worst! with { Redraws = redraws });
        }
        return rows;
    }

    /// <summary>
    /// Compares the analytic directional derivative with the central difference. Round-off in the difference is about
    /// 1e-16·Σ|u·y|/ε, so that (times 100) is the absolute floor; one-sided differences that disagree mean a kink.
    /// </summary>
    private static AuditRow Judge(string node, string op, string input, int[] shape, double analytic,
        double plus, double zero, double minus, double magnitude, double step, int redraws, bool missing)
    {
        double central = (plus - minus) / (2 * step), forward = (plus - zero) / step, backward = (zero - minus) / step;
        double floor = 1e-14 / step * (magnitude + 1e-12);
        double scale = Math.Max(Math.Abs(analytic), Math.Abs(central));
        double error = Math.Abs(analytic - central);
        double relative = error / Math.Max(scale, floor);
        AuditStatus status;
        if (Math.Abs(forward - backward) > KinkTolerance * Math.Max(Math.Abs(forward), Math.Abs(backward)) + 100 * floor) status = AuditStatus.Kink;
        else status = error <= floor + RelativeTolerance * scale && double.IsFinite(analytic) ? AuditStatus.Pass : AuditStatus.Fail;
        return new AuditRow(node, op, input, shape, analytic, central, relative, status, redraws, missing);
    }

    private static double Objective(Func<Node<double>, Node<double>> f, Tensor<double> x, Tensor<double> u, out double magnitude)
    {
        using var _ = GradMode.NoGrad();
        var y = f(Node<double>.Input(x)).Value.Data;
        double sum = 0, abs = 0;
        for (int i = 0; i < y.Length; i++) { sum += u.Data[i] * y[i]; abs += Math.Abs(u.Data[i] * y[i]); }
        magnitude = abs;
        return sum;
    }

    /// <summary>The op names a layer's forward records, e.g. "linear" or "conv2d".</summary>
    private static string OpsOf(Layer<double> layer, Tensor<double> input)
    {
        var x = Node<double>.Input(input, requiresGrad: true);
        var y = layer.Forward(x, new ForwardContext(training: true, new Random(0)));
        var ops = Autograd.TopologicalOrder(y, gradOnly: false).Where(n => n.Kind == NodeKind.Op).Select(n => n.Op).Distinct();
        string joined = string.Join("+", ops);
        return joined.Length == 0 ? layer.Type : joined;
    }

    // Moves the probe point off ties and zeros: 1e-3 of the input's RMS is far larger than ε·|v|, far smaller than the signal.
    private static Tensor<double> Jitter(Tensor<double> x, Random rng)
    {
        double rms = Math.Sqrt(x.Data.Sum(v => v * v) / Math.Max(1, x.Length)) + 1e-6;
        var noise = Normal(x.Shape, rng);
        var result = x.Clone();
        for (int i = 0; i < result.Length; i++) result.Data[i] += 1e-3 * rms * noise.Data[i];
        return result;
    }

    internal static Tensor<double> Normal(int[] shape, Random rng)
    {
        var t = new Tensor<double>(shape);
        for (int i = 0; i < t.Length; i++)
            t.Data[i] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return t;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
