using AutoGrad.Models.Data;
using AutoGrad.Tests.Models.Data;
using AutoGrad.Tests.Reliability;

namespace AutoGrad.Tests.Models.Distributed;

/// <summary>
/// Under mpiexec each rank decodes only its share of an image set (every second file on 2 ranks) and the ranks
/// exchange the samples: rank 0's log reports each rank's decode calls and a hash of the samples, checked equal on
/// every rank by the loader and compared here with a single-process load of the same folder.
/// </summary>
[Trait("Category", "Slow")]
public class ShardedDecodeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <summary>Class folders of distinct 28×28 gray images: 9 + 9 training (an odd count per class), 4 + 4 test.</summary>
    private static DataFixtures ImageSet()
    {
        var files = new DataFixtures();
        for (int i = 0; i < 9; i++)
        {
            files.WriteHalves($"set/train/dark/{i}.png", 28, 28, new(20, 20, 20), new((byte)(30 + 7 * i), 0, 0));
            files.WriteHalves($"set/train/light/{i}.png", 28, 28, new(200, 200, 200), new(0, (byte)(100 + 9 * i), 0));
        }
        for (int i = 0; i < 4; i++)
        {
            files.WriteGray($"set/test/dark/{i}.png", 28, 28, (byte)(40 + i));
            files.WriteGray($"set/test/light/{i}.png", 28, 28, (byte)(190 - i));
        }
        return files;
    }

    private static string[] Train(DataFixtures files, string run, params string[] more) =>
        ["train", "--data", files.PathOf("set"), "--epochs", "1", "--batch", "6", "--threads", "1", "--out", files.PathOf(run), .. more];

    [MpiFact]
    public void EachRankDecodesItsShareAndEveryRankEndsWithTheSingleProcessSamples()
    {
        using var files = ImageSet();
        var (code, _, error) = MpiProcess.Run(Limit, 2, Train(files, "two"));
        Assert.True(code == 0, error);
        using var alone = DatasetCatalog.Load(files.PathOf("set"), 1, 28, 28, DataFixtures.Options());
        Assert.Contains("train: ranks decoded 9 + 9 images", error);
        Assert.Contains("test: ranks decoded 4 + 4 images", error);
        Assert.Contains($"train: sample hash {SharedDecode.Hash(alone.Train):x16} on all 2 ranks", error);
        Assert.Contains($"test: sample hash {SharedDecode.Hash(alone.Test):x16} on all 2 ranks", error);
    }

    [MpiFact]
    public void SkippingBadImagesGivesEveryRankTheSingleProcessListAndSamples()
    {
        using var files = ImageSet();
        // Train index 2 (dark/2) is rank 0's, index 14 (light/5) rank 1's.
        files.WriteText("set/train/dark/2.png", "not a PNG");
        files.WriteText("set/train/light/5.png", "not a PNG either");
        var one = AutogradProcess.Run(Limit, Train(files, "one", "--on-bad-image", "skip"));
        Assert.True(one.ExitCode == 0, one.Error);
        var (code, _, error) = MpiProcess.Run(Limit, 2, Train(files, "two", "--on-bad-image", "skip"));
        Assert.True(code == 0, error);
        Assert.Contains("train: ranks decoded 9 + 9 images", error);
        using var alone = DatasetCatalog.Load(files.PathOf("set"), 1, 28, 28, DataFixtures.Options() with { SkipBadImages = true });
        Assert.Equal(16, alone.Train.Count);
        Assert.Contains($"train: sample hash {SharedDecode.Hash(alone.Train):x16} on all 2 ranks", error);
        string list = File.ReadAllText(files.PathOf("two/skipped-images.txt"));
        Assert.Equal(File.ReadAllText(files.PathOf("one/skipped-images.txt")), list);
        Assert.Contains("dark/2.png", list);
        Assert.Contains("light/5.png", list);
    }
}
