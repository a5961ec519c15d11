using System.Numerics.Tensors;
using AutoGrad.Models.Training;

namespace AutoGrad.Models.Distributed;

/// <summary>
/// Sums parameter gradients over all ranks in buckets, as backward produces them (PyTorch DDP's scheme).
/// Parameters are grouped in reverse order, the order backward finalises them, into buckets of about
/// <c>bucketBytes</c>; a parameter larger than that is its own bucket and is reduced in place in its gradient
/// buffer (seed-lenet5's 285 MB FC1 gradient is never copied). When every gradient of a bucket is final the
/// bucket's all-reduce starts while backward continues. Buckets start strictly in index order, so every rank
/// issues the same collectives in the same order even if a gradient arrives late or not at all.
/// <para>Each rank's gradient is of its local mean loss; it is scaled by local_n / global_n before the sum, so
/// the result is the gradient of the mean loss over the global batch, as one process would compute it.</para>
/// <para>With <see cref="GradientTransfer.BFloat16"/> every bucket (the large ones too) has a bfloat16 wire
/// buffer and a float32 residual: the scaled gradient plus the residual is rounded onto the wire, the rounding
/// error stays in the residual for the next step (<see cref="BFloat16.Quantize"/>), and the sum is widened back
/// into the gradient. The residuals are per rank and part of a resumable checkpoint (<see cref="State"/>).</para>
/// </summary>
public sealed class GradientBuckets : IGradientReduction
{
    private readonly Communicator comm;
    private readonly Bucket[] buckets;
    private readonly Dictionary<Node<float>, (int Bucket, int Offset)> where = new(ReferenceEqualityComparer.Instance);
    private readonly List<CollectiveRequest> requests = [];
    private float scale = 1;
    private int started, localCount;

    /// <param name="parameters">The model's parameters in forward order.</param>
    /// <param name="bucketBytes">Gradient bytes per bucket.</param>
    /// <param name="overlap">Start each bucket as soon as it is ready; false waits for the end of backward (for measuring what overlap saves).</param>
    /// <param name="transfer">How gradients go on the wire.</param>
    public GradientBuckets(IReadOnlyList<Node<float>> parameters, Communicator comm, long bucketBytes, bool overlap = true,
        GradientTransfer transfer = GradientTransfer.Float32)
    {
        if (bucketBytes < sizeof(float)) throw new AutoGradException($"gradient bucket size must be at least 4 bytes (got {bucketBytes})");
        this.comm = comm;
        Overlap = overlap;
        Transfer = transfer;
        var list = new List<Bucket>();
        var current = new List<Node<float>>();
        long bytes = 0;
        void Close()
        {
            if (current.Count == 0) return;
            list.Add(new Bucket([.. current], transfer));
            current.Clear();
            bytes = 0;
        }
        for (int i = parameters.Count - 1; i >= 0; i--)
        {
            var p = parameters[i];
            long size = (long)p.Value.Length * sizeof(float);
            if (bytes > 0 && bytes + size > bucketBytes) Close();
            current.Add(p);
            bytes += size;
            if (bytes >= bucketBytes) Close();
        }
        Close();
        buckets = [.. list];
        for (int b = 0; b < buckets.Length; b++)
        {
            int offset = 0;
            foreach (var p in buckets[b].Parameters) { where[p] = (b, offset); offset += p.Value.Length; }
        }
    }

    public bool Overlap { get; }
    public GradientTransfer Transfer { get; }
    public int Count => buckets.Length;

    /// <summary>Bytes one step puts on the wire per rank before the all-reduce algorithm's factor (float32: 4 per parameter, bfloat16: 2).</summary>
    public long WireBytes => buckets.Sum(b => (long)b.Length) * (Transfer == GradientTransfer.BFloat16 ? sizeof(ushort) : sizeof(float));

    /// <summary>This rank's error-feedback residuals, one per bucket (none for float32 transfer); a resume restores them with <see cref="LoadState"/>.</summary>
    public IReadOnlyList<float[]> State => Transfer == GradientTransfer.BFloat16 ? buckets.Select(b => b.Residual).ToArray() : [];

    /// <summary>Restores residuals saved from <see cref="State"/> (same model, rank count and bucket size).</summary>
    public void LoadState(IReadOnlyList<float[]> residuals, string source)
    {
        var state = State;
        if (residuals.Count != state.Count)
            throw new AutoGradException($"{source}: {residuals.Count} gradient-transfer residuals saved, the run has {state.Count} buckets; resume with the bucket size it started with");
        for (int b = 0; b < state.Count; b++)
        {
            if (residuals[b].Length != state[b].Length)
                throw new AutoGradException($"{source}: gradient-transfer residual {b} holds {residuals[b].Length} values, its bucket {state[b].Length}; resume with the bucket size it started with");
            residuals[b].CopyTo(state[b], 0);
        }
    }

    /// <summary>The step's seam: waits for every bucket; <see cref="Begin"/> must have announced <paramref name="samples"/>.</summary>
    public void Reduce(IReadOnlyList<Node<float>> parameters, int samples)
    {
        if (samples != localCount) throw new InvalidOperationException($"the step reduced {samples} samples, {localCount} were announced");
        Finish();
    }

    /// <summary>Starts a step whose rank holds <paramref name="localCount"/> of <paramref name="globalCount"/> samples.</summary>
    public void Begin(int localCount, int globalCount)
    {
        this.localCount = localCount;
        scale = (float)((double)localCount / globalCount);
        started = 0;
        requests.Clear();
        foreach (var b in buckets) b.Ready = 0;
    }

    /// <summary>The engine's leaf callback: <paramref name="leaf"/>'s gradient is final for this backward.</summary>
    public void OnGradientReady(Node<float> leaf)
    {
        if (!where.TryGetValue(leaf, out var at)) return;
        buckets[at.Bucket].Ready++;
        if (Overlap) StartReady();
    }

    /// <summary>Starts whatever is left (parameters that got no gradient count as zero), waits for every sum
    /// and puts the results in the parameters' gradients.</summary>
    public void Finish()
    {
        foreach (var b in buckets) b.Ready = b.Parameters.Length;
        StartReady();
        foreach (var r in requests) comm.Wait(r);
        foreach (var b in buckets)
        {
            if (b.InPlace) continue;
            int offset = 0;
            foreach (var p in b.Parameters)
            {
                if (b.Wire is { } wire) BFloat16.Widen(wire.AsSpan(offset, p.Value.Length), GradientOf(p).Data);
                else b.Buffer.AsSpan(offset, p.Value.Length).CopyTo(GradientOf(p).Data);
                offset += p.Value.Length;
            }
        }
    }

    private void StartReady()
    {
        while (started < buckets.Length && buckets[started].Ready == buckets[started].Parameters.Length)
        {
            var b = buckets[started++];
            if (b.InPlace)
            {
                var grad = GradientOf(b.Parameters[0]).Data;
                if (scale != 1) TensorPrimitives.Multiply(grad, scale, grad);
                requests.Add(comm.StartAllreduceSum(grad, 0, grad.Length));
                continue;
            }
            int offset = 0;
            foreach (var p in b.Parameters)
            {
                int n = p.Value.Length;
                if (b.Wire is { } wire) BFloat16.Quantize(GradientOf(p).Data, scale, b.Residual.AsSpan(offset, n), wire.AsSpan(offset, n));
                else if (p.Grad is { } g) TensorPrimitives.Multiply(g.Data, scale, b.Buffer.AsSpan(offset, n));
                else b.Buffer.AsSpan(offset, n).Clear();
                offset += n;
            }
            requests.Add(b.Wire is { } w ? comm.StartAllreduceSumBFloat16(w, w.Length) : comm.StartAllreduceSum(b.Buffer, 0, b.Buffer.Length));
        }
    }

    // A parameter that got no gradient on this rank (no samples, or unused) still takes part with zeros; the
    // engine is the one place that sets a leaf's gradient, so backpropagating a zero seed from the leaf gives it one.
    private static Tensor<float> GradientOf(Node<float> p)
    {
        if (p.Grad is null) Autograd.Backward(p, Tensor<float>.Zeros(p.Shape));
        return p.Grad!;
    }

    private sealed class Bucket(Node<float>[] parameters, GradientTransfer transfer)
    {
        public Node<float>[] Parameters { get; } = parameters;
        public int Length { get; } = parameters.Sum(p => p.Value.Length);
        /// <summary>float32 and a single parameter: summed in place in its gradient, never copied.</summary>
        public bool InPlace => transfer == GradientTransfer.Float32 && Parameters.Length == 1;
        public float[] Buffer { get; } = transfer == GradientTransfer.Float32 && parameters.Length > 1 ? new float[parameters.Sum(p => p.Value.Length)] : [];
        public ushort[]? Wire { get; } = transfer == GradientTransfer.BFloat16 ? new ushort[parameters.Sum(p => p.Value.Length)] : null;
        public float[] Residual { get; } = transfer == GradientTransfer.BFloat16 ? new float[parameters.Sum(p => p.Value.Length)] : [];
        public int Ready { get; set; }
    }
}
