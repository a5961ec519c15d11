using AutoGrad.Models.Data;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Reporting;
using AutoGrad.Ops;

namespace AutoGrad.Models.Training;

/// <summary>Loss, top-1, top-5, per-class accuracy and the confusion matrix of a model on one split.</summary>
public sealed record EvaluationResult(double Loss, double Accuracy, double Top5, double[] PerClass, int[,] Confusion, int Count);

public static class Evaluation
{
    /// <summary>
    /// Evaluates <paramref name="model"/> on <paramref name="data"/> in batches of <paramref name="batchSize"/>;
    /// with <paramref name="shards"/> &gt; 1 only the batches b ≡ <paramref name="shard"/> (mod shards), so that
    /// data-parallel ranks share the work and sum their counts (a shard with no batch gives Count 0).
    /// </summary>
    public static EvaluationResult Run(Model<float> model, ImageDataset data, Normalization norm, int batchSize = 256, int shard = 0, int shards = 1)
    {
        int classes = model.Classes;
        if (data.Count == 0) throw new AutoGradException($"{data.Name}: the split is empty");
        if (shards < 1 || (uint)shard >= (uint)shards) throw new AutoGradException($"evaluation shard {shard} of {shards}: expected 0 ≤ shard < shards");
        var iterator = new BatchIterator(data, norm, batchSize, shuffle: false, seed: 0);
        var images = new float[batchSize * data.SampleSize];
        var labels = new int[batchSize];
        var truth = new List<int>(data.Count);
        var predicted = new List<int>(data.Count);
        double lossSum = 0;
        int top5 = 0;
        var context = new ForwardContext(training: false);
        using var _ = GradMode.NoGrad();
        // One batch's activations are the next batch's buffers: a forward pass keeps nothing once its logits are
        // read, so without the pool every batch would allocate (and page-fault in) ~100 MB of fresh arrays.
        // Inside a caller's open scope, the caller's pool lends as before.
        var pool = TensorPool.Current is null ? new TensorPool() : null;
        for (int b = shard; b < iterator.BatchesPerEpoch; b += shards)
        {
            using var scope = pool?.Scope();
            int n = iterator.Fill(0, b, images, labels);
            var batch = new Tensor<float>([n, .. model.InputShape], n == batchSize ? images : images[..(n * data.SampleSize)]);
            var logits = model.Forward(Node<float>.Input(batch), context);
            var batchLabels = labels[..n];
            lossSum += SoftmaxCrossEntropy.Apply(logits, batchLabels).Value.ToScalar() * n;
            for (int i = 0; i < n; i++)
            {
                var row = logits.Value.Data.AsSpan(i * classes, classes);
                int best = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(row);
                truth.Add(batchLabels[i]);
                predicted.Add(best);
                float own = row[batchLabels[i]];
                int higher = 0;
                foreach (float v in row) if (v > own) higher++;
                if (higher < 5) top5++;
            }
            pool?.RecycleLent();
        }
        var confusion = ConfusionMatrix.Create(classes, truth.ToArray(), predicted.ToArray());
        int correct = truth.Zip(predicted).Count(p => p.First == p.Second);
        int count = Math.Max(1, truth.Count);
        return new EvaluationResult(lossSum / count, (double)correct / count, (double)top5 / count,
            ConfusionMatrix.PerClassAccuracy(confusion), confusion, truth.Count);
    }
}
