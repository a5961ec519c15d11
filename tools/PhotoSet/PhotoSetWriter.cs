using System.Diagnostics;

namespace AutoGrad.Tools.PhotoSet;

/// <summary>What <see cref="PhotoSetWriter.Write"/> produced.</summary>
public sealed record PhotoSetSummary(int Train, int Validation, int Test, long Bytes, TimeSpan Elapsed);

/// <summary>
/// Writes the set in the report's list format: images/&lt;class&gt;/&lt;class&gt;_&lt;k&gt;.JPEG for the 50 classes and
/// train.txt, val.txt, test.txt with lines "&lt;relative path&gt; &lt;label&gt;". Of each class's images, a tenth (at least
/// one) goes to val, a tenth to test and the rest to train. Image k of class c is drawn from its own seed derived
/// from (seed, c, k), so the output does not depend on the thread count or order. The list files are written last,
/// each through a temporary name, so an interrupted run never leaves a folder that looks complete.
/// </summary>
public static class PhotoSetWriter
{
    public static (int Train, int Validation, int Test) Split(int perClass)
    {
        int held = Math.Max(1, perClass / 10);
        return (perClass - 2 * held, held, held);
    }

    public static PhotoSetSummary Write(string root, int perClass, long seed, int threads)
    {
        if (perClass < 3) throw new ArgumentOutOfRangeException(nameof(perClass), perClass, "at least 3 images per class (one each for train, val, test)");
        var classes = PhotoClass.All;
        var clock = Stopwatch.StartNew();
        foreach (var c in classes) Directory.CreateDirectory(Path.Combine(root, "images", c.Name));
        long bytes = 0;
        Parallel.For(0, classes.Count * perClass, new ParallelOptions { MaxDegreeOfParallelism = threads }, index =>
        {
            var c = classes[index % classes.Count];
            int k = index / classes.Count;
            string path = Path.Combine(root, RelativePath(c, k));
            using (var file = File.Create(path)) Scene.WriteJpeg(c, Rng.Derive(seed, (long)c.Label * 1_000_000 + k), file);
            Interlocked.Add(ref bytes, new FileInfo(path).Length);
        });

        var (train, val, test) = Split(perClass);
        WriteList(root, "train.txt", classes, 0, train);
        WriteList(root, "val.txt", classes, train, val);
        WriteList(root, "test.txt", classes, train + val, test);
        return new PhotoSetSummary(train * classes.Count, val * classes.Count, test * classes.Count, bytes, clock.Elapsed);
    }

    public static string RelativePath(PhotoClass c, int k) => $"images/{c.Name}/{c.Name}_{k:D5}.JPEG";

    // Classes interleaved (image k of every class, then k + 1), in the same order on every run.
    private static void WriteList(string root, string name, IReadOnlyList<PhotoClass> classes, int first, int count)
    {
        string path = Path.Combine(root, name), temporary = path + ".partial";
        using (var writer = new StreamWriter(temporary) { NewLine = "\n" })
            for (int k = first; k < first + count; k++)
                foreach (var c in classes) writer.WriteLine($"{RelativePath(c, k)} {c.Label}");
        File.Move(temporary, path, overwrite: true);
    }
}
