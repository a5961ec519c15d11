using AutoGrad.Tools.PhotoSet;

// Usage: dotnet run -c Release --project tools/PhotoSet -- --out DIR --per-class N --seed S [--threads T]
// Writes 50 × N JPEGs and train/val/test lists (80/10/10 per class) into DIR, which must not hold a data set yet.
try
{
    var options = Parse(args);
    string root = options["--out"];
    int perClass = Number(options, "--per-class", null), threads = Number(options, "--threads", Environment.ProcessorCount);
    long seed = Number(options, "--seed", 1);
    if (perClass < 3) throw new ArgumentException($"--per-class {perClass} must be at least 3 (one image each for train, val and test)");
    if (threads < 1) throw new ArgumentException($"--threads {threads} must be at least 1");
    if (File.Exists(Path.Combine(root, "train.txt")) || Directory.Exists(Path.Combine(root, "images")))
        throw new ArgumentException($"--out {root} already holds a data set (train.txt or images/); give an empty or new folder");

    Console.WriteLine($"writing {PhotoClass.All.Count} classes × {perClass} images (seed {seed}, {threads} threads) to {root}");
    var summary = PhotoSetWriter.Write(root, perClass, seed, threads);
    Console.WriteLine($"{summary.Train} train, {summary.Validation} val, {summary.Test} test images, " +
                      $"{summary.Bytes / 1e6:F1} MB, in {summary.Elapsed.TotalSeconds:F1} s");
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"photoset: {e.Message}");
    return 2;
}
catch (IOException e)
{
    Console.Error.WriteLine($"photoset: {e.Message}");
    return 1;
}

static Dictionary<string, string> Parse(string[] args)
{
    string[] known = ["--out", "--per-class", "--seed", "--threads"];
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (int i = 0; i < args.Length; i += 2)
    {
        if (!known.Contains(args[i])) throw new ArgumentException($"unknown option '{args[i]}', expected {string.Join(", ", known)}");
        if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
        options[args[i]] = args[i + 1];
    }
    if (!options.ContainsKey("--out")) throw new ArgumentException("--out DIR is required");
    return options;
}

static int Number(Dictionary<string, string> options, string name, int? fallback)
{
    if (!options.TryGetValue(name, out string? text))
        return fallback ?? throw new ArgumentException($"{name} N is required");
    return int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int value)
        ? value : throw new ArgumentException($"{name} '{text}' is not an integer");
}
