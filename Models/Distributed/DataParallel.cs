using AutoGrad.Models.Data;
using AutoGrad.Models.Reporting;
using AutoGrad.Models.Training;

namespace AutoGrad.Models.Distributed;

/// <summary>
/// What the <see cref="Trainer"/> does differently on one of several data-parallel ranks. Every rank holds
/// the whole model and the same global shuffle; each takes a contiguous slice of every global batch,
/// computes its gradient, and <see cref="GradientBuckets"/> sums the scaled gradients so every rank applies
/// the same update, the one a single process would apply to the whole batch. Batch norm normalises with
/// each rank's own batch statistics (as PyTorch DDP does); its running statistics are rank 0's, copied to
/// every rank before each evaluation. Dropout draws from (seed, epoch, batch, rank) (<see cref="StepPosition"/>).
/// </summary>
public sealed class DataParallel
{
    /// <summary>Default gradient bytes per bucket (PyTorch DDP's 25 MB).</summary>
    public const long DefaultBucketBytes = 25L << 20;

    public DataParallel(Communicator comm, long bucketBytes = DefaultBucketBytes, bool overlap = true)
    {
        Communicator = comm;
        BucketBytes = bucketBytes;
        Overlap = overlap;
    }

    public Communicator Communicator { get; }
    public int Rank => Communicator.Rank;
    public int Size => Communicator.Size;
    public bool IsRoot => Rank == 0;
    public long BucketBytes { get; }
    public bool Overlap { get; }
    /// <summary>Distinct host names, in rank order of first appearance.</summary>
    public IReadOnlyList<string> Hosts => Communicator.HostNames.Distinct().ToList();

    /// <summary>
    /// Refuses a global batch the ranks cannot share evenly, and a data set whose short last batch would leave a
    /// rank without a sample (a training step needs at least one).
    /// </summary>
    public void CheckBatchSize(int globalBatch, int trainCount = int.MaxValue)
    {
        if (globalBatch % Size != 0)
            throw new AutoGradException($"batch size {globalBatch} does not divide evenly over {Size} ranks; use a multiple of {Size} (e.g. {Math.Max(Size, globalBatch / Size * Size)})");
        int last = trainCount == int.MaxValue ? 0 : trainCount % globalBatch;
        if (last > 0 && last < Size)
            throw new AutoGradException($"the last batch of an epoch holds {last} of the {trainCount} training samples, fewer than the {Size} ranks; choose a batch size that leaves at least {Size} or none");
    }

    /// <summary>The global batch's mean loss and hits from each rank's, and whether any rank was asked to stop.</summary>
    public (double Loss, int Correct, bool Stop) SumStep(double localLoss, int localCorrect, int localCount, int globalCount, bool stopRequested)
    {
        var sums = new[] { localLoss * localCount, localCorrect, stopRequested ? 1 : 0 };
        Communicator.Allreduce(sums);
        return (sums[0] / globalCount, (int)sums[1], sums[2] > 0);
    }

    /// <summary>This rank's contiguous part of a global batch of <paramref name="n"/> samples (a short last batch is split as evenly as it goes).</summary>
    public (int First, int Count) Slice(int n)
    {
        int first = (int)((long)Rank * n / Size), end = (int)((long)(Rank + 1) * n / Size);
        return (first, end - first);
    }

    /// <summary><paramref name="options"/> with the decode split over the ranks: each decodes its share of the images and the samples are exchanged.</summary>
    public DataLoadOptions ShareDecoding(DataLoadOptions options) => options with { Share = new DecodeShare(Communicator) };

    public GradientBuckets CreateBuckets(Model<float> model, GradientTransfer transfer = GradientTransfer.Float32) =>
        new(model.Parameters, Communicator, BucketBytes, Overlap, transfer);

    /// <summary>Name of rank <paramref name="rank"/>'s residual of bucket <paramref name="bucket"/> in a checkpoint's optimiser file.</summary>
    public static string ResidualName(int rank, int bucket) => $"{ResidualPrefix}rank{rank}.bucket{bucket}";

    /// <summary>Prefix of the gradient-transfer residuals among the optimiser state's tensors.</summary>
    public const string ResidualPrefix = "transfer-residual.";

    /// <summary>
    /// Every rank's error-feedback residuals, for rank 0 to save (a collective: every rank calls it at the same
    /// checkpoint). Rank 0 returns p × the model's parameter count of floats; other ranks an empty list.
    /// </summary>
    public IReadOnlyList<(string Name, float[] Data)> GatherResiduals(GradientBuckets buckets)
    {
        var mine = buckets.State;
        var result = new List<(string, float[])>();
        for (int r = 0; r < Size; r++)
            for (int b = 0; b < mine.Count; b++)
            {
                var data = r == Rank ? (float[])mine[b].Clone() : new float[mine[b].Length];
                if (r > 0) Communicator.Broadcast(data, r);
                if (IsRoot) result.Add((ResidualName(r, b), data));
            }
        return result;
    }

    /// <summary>Rank 0's non-trained state (batch-norm running statistics) on every rank.</summary>
    public void BroadcastBuffers(Model<float> model)
    {
        foreach (var layer in model.Layers)
            foreach (var (_, value) in layer.Buffers)
                Communicator.Broadcast(value.Data);
    }

    /// <summary>Evaluation split over the ranks by batches, with loss sums and counts added up: every rank gets the whole split's result.</summary>
    public EvaluationResult Evaluate(Model<float> model, ImageDataset data, Normalization norm)
    {
        BroadcastBuffers(model);
        var mine = Evaluation.Run(model, data, norm, shard: Rank, shards: Size);
        int classes = model.Classes;
        var sums = new double[3 + classes * classes];
        (sums[0], sums[1], sums[2]) = (mine.Loss * mine.Count, Math.Round(mine.Top5 * mine.Count), mine.Count);
        for (int t = 0; t < classes; t++)
            for (int p = 0; p < classes; p++)
                sums[3 + t * classes + p] = mine.Confusion[t, p];
        Communicator.Allreduce(sums);
        var confusion = new int[classes, classes];
        long correct = 0;
        for (int t = 0; t < classes; t++)
            for (int p = 0; p < classes; p++)
            {
                confusion[t, p] = (int)sums[3 + t * classes + p];
                if (t == p) correct += confusion[t, p];
            }
        double count = sums[2];
        return new EvaluationResult(sums[0] / count, correct / count, sums[1] / count, ConfusionMatrix.PerClassAccuracy(confusion), confusion, (int)count);
    }

    /// <summary>
    /// Refuses to go on when the ranks' models differ (they must start equal and apply equal updates): a hash
    /// of every parameter and buffer byte, compared through a max and a min over the ranks.
    /// </summary>
    public void CheckInSync(Model<float> model, string when)
    {
        ulong h = 0xcbf29ce484222325UL;
        foreach (var (_, value) in model.StateTensors())
            foreach (uint word in System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(value.Data.AsSpan()))
                h = (h ^ word) * 0x100000001b3UL;   // FNV-1a over 32-bit words: order- and bit-sensitive
        double hi = h >> 32, lo = h & 0xffffffff;
        var extremes = new[] { hi, lo, -hi, -lo };
        Communicator.Allreduce(extremes, max: true);
        if (extremes[0] != -extremes[2] || extremes[1] != -extremes[3])
            throw new AutoGradException($"the ranks' models differ {when}; every rank must build the same model from the same seed or checkpoint");
    }
}
