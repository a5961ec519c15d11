using AutoGrad.Models.Data;

namespace AutoGrad.Models.Diagnostics;

/// <summary>Fixed sets of samples as normalised NCHW tensors, for checks that need the same images every time.</summary>
internal static class SampleBatch
{
    /// <summary><paramref name="count"/> indices that cycle through the classes (k-th sample of class 0, 1, …), seeded.</summary>
    public static int[] Spread(ImageDataset data, int count, int seed)
    {
        var rng = new Random(seed);
        var byClass = Enumerable.Range(0, data.Count).GroupBy(data.Label).OrderBy(g => g.Key)
            .Select(g => new Queue<int>(g.OrderBy(_ => rng.Next()))).ToList();
        var picked = new List<int>(count);
        while (picked.Count < Math.Min(count, data.Count))
            foreach (var queue in byClass)
                if (picked.Count < count && queue.TryDequeue(out int i)) picked.Add(i);
        return picked.ToArray();
    }

    /// <summary>The first <paramref name="count"/> indices of a seeded permutation.</summary>
    public static int[] Random(ImageDataset data, int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, data.Count).OrderBy(_ => rng.Next()).Take(Math.Min(count, data.Count)).ToArray();
    }

    public static (Tensor<T> Images, int[] Labels) Take<T>(ImageDataset data, Normalization norm, IReadOnlyList<int> indices, int[] inputShape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = data.SampleSize;
        var buffer = new float[size];
        var images = new Tensor<T>([indices.Count, .. inputShape]);
        if (images.Length != (long)indices.Count * size)
            throw new AutoGradException($"{data.Name}: samples of {data.Channels}×{data.Height}×{data.Width} do not fit the model input {Shapes.Format(inputShape)}");
        var labels = new int[indices.Count];
        for (int j = 0; j < indices.Count; j++)
        {
            norm.Apply(data.Sample(indices[j]), data.Channels, buffer);
            for (int i = 0; i < size; i++) images.Data[j * size + i] = T.CreateTruncating(buffer[i]);
            labels[j] = data.Label(indices[j]);
        }
        return (images, labels);
    }
}
