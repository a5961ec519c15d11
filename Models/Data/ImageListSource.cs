namespace AutoGrad.Models.Data;

/// <summary>
/// Splits from a folder with train.txt, test.txt and optionally val.txt (see <see cref="ImageListFile"/>).
/// The classes come from train.txt: label k must always name the same synset folder (and that synset only
/// label k), labels must cover 0..N-1, and val/test labels must be among them. Class names are the synsets.
/// </summary>
internal static class ImageListSource
{
    public const string TrainFile = "train.txt", ValidationFile = "val.txt", TestFile = "test.txt";

    public static bool IsListFolder(string folder) => File.Exists(Path.Combine(folder, TrainFile));

    public static DataSplits Load(string root, int channels, int height, int width, DataLoadOptions options)
    {
        string trainPath = Path.Combine(root, TrainFile), valPath = Path.Combine(root, ValidationFile);
        string testPath = Path.Combine(root, TestFile);
        if (!File.Exists(testPath)) throw new AutoGradException($"{root}: has {TrainFile} but no {TestFile}");

        var train = ImageListFile.Read(root, trainPath);
        var synsets = Classes(train, trainPath);
        var val = File.Exists(valPath) ? ImageListFile.Read(root, valPath) : null;
        var test = ImageListFile.Read(root, testPath);
        if (val is not null) CheckAgainst(val, valPath, synsets, trainPath);
        CheckAgainst(test, testPath, synsets, trainPath);
        options.Log?.Invoke($"{root}: {train.Count} train, {val?.Count ?? 0} val, {test.Count} test images in {synsets.Length} classes");
        options.BeforeDecode?.Invoke(synsets.Length);

        var trainSet = ImageSetLoader.Load(Files(trainPath, train), synsets, channels, height, width, options);
        var valSet = val is null ? null : ImageSetLoader.Load(Files(valPath, val), synsets, channels, height, width, options);
        var testSet = ImageSetLoader.Load(Files(testPath, test), synsets, channels, height, width, options);
        return new DataSplits(trainSet, valSet, testSet);
    }

    private static string[] Classes(List<ImageListEntry> train, string trainPath)
    {
        var byLabel = new Dictionary<int, ImageListEntry>();
        var bySynset = new Dictionary<string, ImageListEntry>(StringComparer.Ordinal);
        foreach (var e in train)
        {
            if (byLabel.TryGetValue(e.Label, out var first) && first.Synset != e.Synset)
                throw new AutoGradException($"{trainPath}:{e.Line}: label {e.Label} is class '{e.Synset}' but was '{first.Synset}' on line {first.Line}");
            if (bySynset.TryGetValue(e.Synset, out var other) && other.Label != e.Label)
                throw new AutoGradException($"{trainPath}:{e.Line}: class '{e.Synset}' has label {e.Label} but had {other.Label} on line {other.Line}");
            byLabel.TryAdd(e.Label, e);
            bySynset.TryAdd(e.Synset, e);
        }
        int classCount = byLabel.Keys.Max() + 1;
        for (int k = 0; k < classCount; k++)
            if (!byLabel.ContainsKey(k))
                throw new AutoGradException($"{trainPath}: label {k} never occurs, expected labels 0..{classCount - 1} without gaps");
        return Enumerable.Range(0, classCount).Select(k => byLabel[k].Synset).ToArray();
    }

    private static void CheckAgainst(List<ImageListEntry> split, string path, string[] synsets, string trainPath)
    {
        foreach (var e in split)
        {
            if (e.Label >= synsets.Length)
                throw new AutoGradException($"{path}:{e.Line}: label {e.Label} is out of range, {trainPath} has labels 0..{synsets.Length - 1}");
            if (synsets[e.Label] != e.Synset)
                throw new AutoGradException($"{path}:{e.Line}: label {e.Label} is class '{e.Synset}' but is '{synsets[e.Label]}' in {trainPath}");
        }
    }

    private static LabeledFiles Files(string listPath, List<ImageListEntry> entries) =>
        new(listPath, entries.Select(e => e.Path).ToArray(), entries.Select(e => e.Label).ToArray());
}
