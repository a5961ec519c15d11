using AutoGrad.Models.Reporting;
using AutoGrad.Tests.Models.IO;
using Xunit;

namespace AutoGrad.Tests.Models.Reporting;

public class ConfusionMatrixTests
{
    [Fact]
    public void Create_CountsTruthByRowAndPredictionByColumn()
    {
        int[,] confusion = ConfusionMatrix.Create(3, [0, 0, 1, 2, 2, 2, 1], [0, 1, 1, 2, 0, 2, 1]);
        Assert.Equal(new[,] { { 1, 1, 0 }, { 0, 2, 0 }, { 1, 0, 2 } }, confusion);
    }

    [Fact]
    public void PerClassAccuracy_IsDiagonalOverRowSum_NaNForEmptyClass()
    {
        double[] accuracy = ConfusionMatrix.PerClassAccuracy(new[,] { { 3, 1, 0 }, { 0, 0, 0 }, { 1, 1, 2 } });
        Assert.Equal(0.75, accuracy[0]);
        Assert.True(double.IsNaN(accuracy[1]));
        Assert.Equal(0.5, accuracy[2]);
    }

    [Theory]
    [InlineData(new[] { 0, 3 }, new[] { 0, 0 })]
    [InlineData(new[] { 0, 1 }, new[] { -1, 0 })]
    [InlineData(new[] { 0, 1 }, new[] { 0 })]
    public void Create_RejectsBadLabels(int[] truth, int[] predicted)
    {
        Assert.Throws<AutoGradException>(() => ConfusionMatrix.Create(3, truth, predicted));
    }

    [Fact]
    public void Create_RejectsNoClasses() =>
        Assert.Throws<AutoGradException>(() => ConfusionMatrix.Create(0, [], []));

    [Fact]
    public void WriteCsv_HasHeaderOfClassNamesAndQuotesCommas()
    {
        using var folder = new TempFolder();
        string path = folder.File("confusion.csv");
        ConfusionMatrix.WriteCsv(path, new[,] { { 5, 1 }, { 2, 7 } }, ["cat", "dog, big"]);
        Assert.Equal("true\\predicted,cat,\"dog, big\"\ncat,5,1\n\"dog, big\",2,7\n", File.ReadAllText(path));
    }

    [Fact]
    public void WriteCsv_RejectsMismatchedNamesOrMatrix()
    {
        using var folder = new TempFolder();
        string path = folder.File("c.csv");
        var error = Assert.Throws<AutoGradException>(() => ConfusionMatrix.WriteCsv(path, new int[2, 2], ["a"]));
        Assert.Contains("c.csv", error.Message);
        Assert.Throws<AutoGradException>(() => ConfusionMatrix.WriteCsv(path, new int[2, 3], ["a", "b"]));
        Assert.Empty(folder.FileNames());
    }
}
