namespace AutoGrad.Models.Data;

/// <summary>
/// Splits from class folders: <c>root/&lt;split&gt;/&lt;class&gt;/*.{jpg,jpeg,png,bmp}</c> for train, test and an
/// optional val. Classes are train's subfolders sorted ordinally; the other splits must have the same set.
/// Files within a class are sorted ordinally so the sample order does not depend on the file system.
/// </summary>
internal static class ClassFolderSource
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp"];

    public static bool IsClassFolder(string root) => Directory.Exists(Path.Combine(root, "train"));

    public static DataSplits Load(string root, int channels, int height, int width, DataLoadOptions options)
    {
        string trainDir = Path.Combine(root, "train"), valDir = Path.Combine(root, "val"), testDir = Path.Combine(root, "test");
        if (!Directory.Exists(testDir)) throw new AutoGradException($"{root}: has a train folder but no test folder");
        string[] classes = Directory.GetDirectories(trainDir).Select(d => Path.GetFileName(d)!)
            .Order(StringComparer.Ordinal).ToArray();
        if (classes.Length == 0) throw new AutoGradException($"{trainDir}: no class subfolders, expected {trainDir}/<class>/<image>");

        var train = Files(trainDir, classes, trainDir);
        var val = Directory.Exists(valDir) ? Files(valDir, classes, trainDir) : null;
        var test = Files(testDir, classes, trainDir);
        options.Log?.Invoke($"{root}: {train.Paths.Length} train, {val?.Paths.Length ?? 0} val, {test.Paths.Length} test images in {classes.Length} classes");
        options.BeforeDecode?.Invoke(classes.Length);
        return new DataSplits(
            ImageSetLoader.Load(train, classes, channels, height, width, options),
            val is null ? null : ImageSetLoader.Load(val, classes, channels, height, width, options),
            ImageSetLoader.Load(test, classes, channels, height, width, options));
    }

    private static LabeledFiles Files(string splitDir, string[] classes, string trainDir)
    {
        var found = Directory.GetDirectories(splitDir).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();
        if (!found.SequenceEqual(classes))
        {
            string missing = string.Join(", ", classes.Except(found)), extra = string.Join(", ", found.Except(classes));
            throw new AutoGradException($"{splitDir}: class folders differ from {trainDir} (missing: [{missing}], extra: [{extra}])");
        }
        var paths = new List<string>();
        var labels = new List<int>();
        for (int k = 0; k < classes.Length; k++)
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(splitDir, classes[k]))
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal))
            {
                paths.Add(Path.GetFullPath(file));
                labels.Add(k);
            }
        }
        if (paths.Count == 0) throw new AutoGradException($"{splitDir}: no .jpg, .jpeg, .png or .bmp images in its class folders");
        return new LabeledFiles(splitDir, paths.ToArray(), labels.ToArray());
    }
}
