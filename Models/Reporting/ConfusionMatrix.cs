using System.Globalization;
using System.Text;
using AutoGrad.Models.IO;

namespace AutoGrad.Models.Reporting;

/// <summary>
/// Counts of (true class, predicted class) pairs: entry [t, p] is how many samples of class t were predicted as
/// class p, so the diagonal holds the correct predictions and each row sums to that class's sample count.
/// </summary>
public static class ConfusionMatrix
{
    /// <summary>Builds the <paramref name="classes"/> × <paramref name="classes"/> matrix from paired labels.</summary>
    public static int[,] Create(int classes, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        if (classes < 1)
            throw new AutoGradException($"ConfusionMatrix.Create: expected at least 1 class, got {classes}");
        if (truth.Length != predicted.Length)
            throw new AutoGradException(
                $"ConfusionMatrix.Create: expected as many predictions as labels, got {predicted.Length} and {truth.Length}");
        var confusion = new int[classes, classes];
        for (int i = 0; i < truth.Length; i++)
        {
            int t = truth[i], p = predicted[i];
            if ((uint)t >= (uint)classes || (uint)p >= (uint)classes)
                throw new AutoGradException(
                    $"ConfusionMatrix.Create: sample {i} has truth {t} and prediction {p}, expected both in 0..{classes - 1}");
            confusion[t, p]++;
        }
        return confusion;
    }

    /// <summary>
    /// Writes the matrix as CSV: a header row <c>true\predicted,name0,name1,..</c>, then one row per true class
    /// starting with its name. Names containing commas, quotes or line breaks are quoted.
    /// </summary>
    public static void WriteCsv(string path, int[,] confusion, IReadOnlyList<string> classes)
    {
        Check(path, confusion, classes);
        var text = new StringBuilder("true\\predicted");
        foreach (string name in classes)
            text.Append(',').Append(Quote(name));
        text.Append('\n');
        for (int t = 0; t < classes.Count; t++)
        {
            text.Append(Quote(classes[t]));
            for (int p = 0; p < classes.Count; p++)
                text.Append(',').Append(confusion[t, p].ToString(CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>
    /// Per-class accuracy (recall): <c>confusion[c, c] / Σ_p confusion[c, p]</c>; NaN for a class with no samples,
    /// since 0 would wrongly read as "always wrong".
    /// </summary>
    public static double[] PerClassAccuracy(int[,] confusion)
    {
        CheckSquare("ConfusionMatrix.PerClassAccuracy", confusion);
        int n = confusion.GetLength(0);
        var accuracy = new double[n];
        for (int t = 0; t < n; t++)
        {
            long total = 0;
            for (int p = 0; p < n; p++)
                total += confusion[t, p];
            accuracy[t] = total == 0 ? double.NaN : (double)confusion[t, t] / total;
        }
        return accuracy;
    }

    /// <summary>Validates a matrix and its class names together; shared with the heatmap plot.</summary>
    internal static void Check(string path, int[,] confusion, IReadOnlyList<string> classes)
    {
        CheckSquare(path, confusion);
        if (classes is null || classes.Count != confusion.GetLength(0))
            throw new AutoGradException(
                $"{path}: expected {confusion.GetLength(0)} class names for the matrix, got {classes?.Count.ToString(CultureInfo.InvariantCulture) ?? "null"}");
        for (int i = 0; i < classes.Count; i++)
        {
            if (classes[i] is null)
                throw new AutoGradException($"{path}: class name {i} is null");
        }
    }

    private static void CheckSquare(string where, int[,] confusion)
    {
        if (confusion is null)
            throw new AutoGradException($"{where}: expected a confusion matrix, got null");
        if (confusion.GetLength(0) != confusion.GetLength(1) || confusion.GetLength(0) == 0)
            throw new AutoGradException(
                $"{where}: expected a non-empty square matrix, got {confusion.GetLength(0)}x{confusion.GetLength(1)}");
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
