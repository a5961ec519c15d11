using System.Globalization;

namespace AutoGrad.Models.Data;

/// <summary>
/// Parses a split list such as train.txt: one sample per line, <c>images/&lt;synset&gt;/&lt;file&gt;.JPEG &lt;label&gt;</c>,
/// a path relative to the root, one space, and a non-negative integer class index. Blank lines are ignored;
/// everything else that does not fit is an error naming file:line.
/// </summary>
internal static class ImageListFile
{
    /// <summary>Reads and validates <paramref name="listPath"/>; paths resolve against <paramref name="root"/> and must exist inside it.</summary>
    public static List<ImageListEntry> Read(string root, string listPath)
    {
        string fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        var entries = new List<ImageListEntry>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(listPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string where = $"{listPath}:{lineNumber}";
            int space = line.LastIndexOf(' ');
            if (space <= 0 || line[0] == ' ' || line[space - 1] == ' ')
                throw new AutoGradException($"{where}: malformed line '{Clip(line)}', expected '<relative path> <label>'");
            string relative = line[..space], labelText = line[(space + 1)..];
            if (!int.TryParse(labelText, NumberStyles.None, CultureInfo.InvariantCulture, out int label))
                throw new AutoGradException($"{where}: label '{Clip(labelText)}' is not a non-negative integer");
            entries.Add(new ImageListEntry(Resolve(fullRoot, relative, where), label, Synset(relative, where), lineNumber));
        }
        if (entries.Count == 0) throw new AutoGradException($"{listPath}: no samples listed, expected at least one '<relative path> <label>' line");
        return entries;
    }

    private static string Resolve(string fullRoot, string relative, string where)
    {
        if (relative.Any(char.IsControl))
            throw new AutoGradException($"{where}: path '{Clip(relative)}' contains control characters");
        if (Path.IsPathRooted(relative) || relative.Split('/', '\\').Contains(".."))
            throw new AutoGradException($"{where}: path '{Clip(relative)}' must be relative to the list's folder without '..'");
        string full = Path.GetFullPath(Path.Combine(fullRoot, relative));
        // Belt and braces after the '..' check: whatever normalisation did, the file must sit under the root.
        if (!full.StartsWith(fullRoot, StringComparison.Ordinal))
            throw new AutoGradException($"{where}: path '{Clip(relative)}' escapes the dataset folder {fullRoot}");
        if (!File.Exists(full)) throw new AutoGradException($"{where}: image file '{relative}' not found at {full}");
        return full;
    }

    // The class is the image's parent folder: images/<synset>/<file>.
    private static string Synset(string relative, string where)
    {
        string[] parts = relative.Split('/', '\\');
        if (parts.Length < 2 || parts[^2].Length == 0)
            throw new AutoGradException($"{where}: path '{Clip(relative)}' has no class folder, expected images/<class>/<file>");
        return parts[^2];
    }

    private static string Clip(string text)
    {
        string printable = new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return printable.Length <= 80 ? printable : printable[..77] + "...";
    }
}
