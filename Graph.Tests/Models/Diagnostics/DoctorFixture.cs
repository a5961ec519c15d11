using AutoGrad.Models.Data;
using AutoGrad.Models.Diagnostics;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Zoo;
using AutoGrad.Tests.Models.Data;

namespace AutoGrad.Tests.Models.Diagnostics;

/// <summary>A small real data set (1,000 train and 300 test images of fashion-mnist-mini) and fast doctor settings.</summary>
public static class DoctorFixture
{
    private static readonly Lazy<(byte[] Train, int[] TrainLabels, byte[] Test, int[] TestLabels, string[] Classes)> Mini = new(() =>
    {
        using var splits = DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, 1, 28, 28, DataFixtures.Options());
        static (byte[], int[]) Take(ImageDataset d, int count)
        {
            var bytes = new byte[count * d.SampleSize];
            for (int i = 0; i < count; i++) d.Sample(i).CopyTo(bytes.AsSpan(i * d.SampleSize));
            return (bytes, d.Labels.Take(count).ToArray());
        }
        var (train, trainLabels) = Take(splits.Train, 1000);
        var (test, testLabels) = Take(splits.Test, 300);
        return (train, trainLabels, test, testLabels, splits.Train.Classes.ToArray());
    });

    /// <summary>Fresh splits; <paramref name="sortByClass"/> stores train class by class, <paramref name="shuffleLabels"/> pairs images with wrong labels.</summary>
    public static DataSplits Splits(bool sortByClass = false, bool shuffleLabels = false)
    {
        var m = Mini.Value;
        var order = Enumerable.Range(0, m.TrainLabels.Length).ToArray();
        if (sortByClass) order = order.OrderBy(i => m.TrainLabels[i]).ToArray();
        var pixels = order.SelectMany(i => m.Train.Skip(i * 784).Take(784)).ToArray();
        var labels = order.Select(i => m.TrainLabels[i]).ToArray();
        if (shuffleLabels) new Random(7).Shuffle(labels);
        return new DataSplits(
            ImageDataset.FromBytes("mini/train", m.Classes, 1, 28, 28, pixels, labels), null,
            ImageDataset.FromBytes("mini/test", m.Classes, 1, 28, 28, (byte[])m.Test.Clone(), (int[])m.TestLabels.Clone()));
    }

    public static DoctorOptions Fast(params string[] skip) => new()
    {
        BatchSize = 32, HealthSteps = 12, OverfitSteps = 150, ControlSteps = 40, SweepSteps = 6, HeldOut = 200, AuditSamples = 2,
        Skip = skip.ToHashSet(),
    };

    public static ModelSpec Lenet5 => ModelZoo.All.First(s => s.Name == "lenet5");

    /// <summary>A small MLP with one activation of the given type, for the activation faults.</summary>
    public static ModelSpec Mlp(string activation) => new()
    {
        Name = $"mlp-{activation}", Input = [1, 28, 28],
        Layers = [new() { Type = "flatten" }, new() { Type = "linear", Out = 32 }, new() { Type = activation }, new() { Type = "linear", Out = LayerSpec.Classes }],
    };

    public static DoctorReport Diagnose(ModelRecipe recipe, DoctorOptions options, DataSplits? splits = null)
    {
        using var data = splits ?? Splits();
        return Doctor.Run(recipe, data, options);
    }

    public static Finding Single(DoctorReport report, string id, Severity severity)
    {
        var found = report.Findings.Where(f => f.Id == id).ToList();
        Assert.True(found.Count > 0, $"expected finding {id}; got:\n{report.ToText()}");
        Assert.Contains(found, f => f.Severity == severity);
        return found.First(f => f.Severity == severity);
    }
}
