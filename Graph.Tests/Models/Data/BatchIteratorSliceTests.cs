using AutoGrad.Models.Data;

namespace AutoGrad.Tests.Models.Data;

/// <summary>Data-parallel ranks fill slices of a global batch: together they must be exactly the whole batch, augmentation included.</summary>
public sealed class BatchIteratorSliceTests
{
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(true, 0.5)]   // erasing draws a variable number of numbers per sample: a slice must still replay them
    public void SlicesOfABatchAreTheWholeBatchPieceByPiece(bool augment, double erasing)
    {
        var data = DataFixtures.Indexed(23, height: 6, width: 6);
        var it = new BatchIterator(data, Normalization.None(1), 8, shuffle: true, seed: 3, augment ? new Augmentation(2, true, erasing) : default);
        int size = data.SampleSize;
        for (int b = 0; b < it.BatchesPerEpoch; b++)
        {
            var whole = new float[8 * size];
            var wholeLabels = new int[8];
            int n = it.Fill(1, b, whole, wholeLabels);
            var pieces = new float[8 * size];
            var pieceLabels = new int[8];
            int done = 0;
            foreach (int take in new[] { 3, 1, 4 })   // uneven slices, the last one clipped by a short batch
            {
                int got = it.Fill(1, b, pieces.AsSpan(done * size), pieceLabels.AsSpan(done), done, take);
                Assert.Equal(Math.Min(take, n - done), got);
                done += got;
            }
            Assert.Equal(n, done);
            Assert.Equal(whole[..(n * size)], pieces[..(n * size)]);
            Assert.Equal(wholeLabels[..n], pieceLabels[..n]);
        }
    }
}
