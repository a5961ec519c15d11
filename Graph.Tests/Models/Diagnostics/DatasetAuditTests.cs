using AutoGrad.Models.Data;
using AutoGrad.Models.Diagnostics;

namespace AutoGrad.Tests.Models.Diagnostics;

/// <summary>The data audit on purpose-built splits: leakage between train and test, conflicting labels, imbalance, missing classes.</summary>
public class DatasetAuditTests
{
    private static readonly string[] Classes = ["a", "b", "c"];

    /// <summary>Distinct 2×2 images: image i has pixels (i, i+1, i+2, i+3) mod 256.</summary>
    private static byte[] Images(IEnumerable<int> ids) => ids.SelectMany(i => new[] { (byte)i, (byte)(i + 1), (byte)(i + 2), (byte)(i + 3) }).ToArray();

    private static IReadOnlyList<Finding> Audit(int[] trainIds, int[] trainLabels, int[] testIds, int[] testLabels)
    {
        var train = ImageDataset.FromBytes("t/train", Classes, 1, 2, 2, Images(trainIds), trainLabels);
        var test = ImageDataset.FromBytes("t/test", Classes, 1, 2, 2, Images(testIds), testLabels);
        return DatasetAudit.Run(new DataSplits(train, null, test), Normalization.Compute(train), "t");
    }

    [Fact]
    public void TestImagesCopiedFromTrainingAreReported()
    {
        // 10 of 20 test images are exact copies of training images: 50 % leakage.
        var trainIds = Enumerable.Range(0, 30).Select(i => i * 5).ToArray();
        var testIds = trainIds.Take(10).Concat(Enumerable.Range(0, 10).Select(i => 200 + i)).ToArray();
        var findings = Audit(trainIds, trainIds.Select(i => i % 3).ToArray(), testIds, testIds.Select(i => i % 3).ToArray());
        var leak = Assert.Single(findings, f => f.Id == "train-test-duplicates");
        Assert.Equal(Severity.Warning, leak.Severity);
        Assert.Contains("10", leak.Message + leak.Evidence);
    }

    [Fact]
    public void CleanSplitsHaveNoDuplicateOrConflictFinding()
    {
        var trainIds = Enumerable.Range(0, 30).Select(i => i * 5).ToArray();
        var testIds = Enumerable.Range(0, 12).Select(i => 200 + i).ToArray();
        var findings = Audit(trainIds, trainIds.Select(i => i % 3).ToArray(), testIds, testIds.Select(i => i % 3).ToArray());
        Assert.DoesNotContain(findings, f => f.Id is "train-test-duplicates" or "conflicting-duplicates" or "class-imbalance" or "class-missing");
    }

    [Fact]
    public void IdenticalTrainingImagesWithDifferentLabelsAreReported()
    {
        int[] trainIds = [1, 1, 2, 3, 4, 5, 6, 7, 8];
        int[] trainLabels = [0, 1, 2, 0, 1, 2, 0, 1, 2];   // image 1 appears as class a and as class b
        var findings = Audit(trainIds, trainLabels, [100, 101, 102], [0, 1, 2]);
        Assert.Equal(Severity.Warning, Assert.Single(findings, f => f.Id == "conflicting-duplicates").Severity);
    }

    [Fact]
    public void ImbalanceAndMissingClassesAreReported()
    {
        // Train: 40 of class a, 4 of class b, none of c.
        var trainIds = Enumerable.Range(0, 44).ToArray();
        var trainLabels = trainIds.Select(i => i < 40 ? 0 : 1).ToArray();
        var findings = Audit(trainIds.Select(i => i * 5).ToArray(), trainLabels, [200, 201, 202], [0, 1, 2]);
        var imbalance = Assert.Single(findings, f => f.Id == "class-imbalance");
        Assert.Contains("10.0×", imbalance.Message);
        Assert.Equal(Severity.Warning, Assert.Single(findings, f => f.Id == "class-missing").Severity);
    }
}
