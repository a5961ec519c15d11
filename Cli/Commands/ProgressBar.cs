using AutoGrad.Models.Training;

namespace AutoGrad.Cli.Commands;

/// <summary>
/// A one-line live progress bar (epoch, batch, loss, accuracy, images/s, ETA) redrawn in place on a
/// terminal; when stderr is redirected it prints a plain line every quarter epoch instead.
/// </summary>
internal sealed class ProgressBar(TextWriter writer)
{
    private readonly bool live = !Console.IsErrorRedirected;
    private DateTime lastDraw;
    private int lastQuarter = -1;
    private bool drawn;

    public void Report(TrainProgress p)
    {
        string line = $"epoch {p.Epoch}/{p.Epochs} {Bar(p.Batch, p.Batches)} {p.Batch}/{p.Batches} loss {p.Loss:F4} acc {p.Accuracy:P1} " +
                      $"{p.ImagesPerSecond:N0} img/s lr {p.LearningRate:G3} ETA {Format(p.Remaining)}";
        if (live)
        {
            if (p.Batch != p.Batches && (DateTime.UtcNow - lastDraw).TotalMilliseconds < 100) return;
            lastDraw = DateTime.UtcNow;
            writer.Write("\r" + line.PadRight(Math.Min(Console.WindowWidth > 0 ? Console.WindowWidth - 1 : 120, 160)));
            drawn = true;
            if (p.Batch == p.Batches) { writer.WriteLine(); drawn = false; }
        }
        else
        {
            int quarter = (p.Epoch - 1) * 4 + 4 * p.Batch / p.Batches;
            if (quarter == lastQuarter) return;
            lastQuarter = quarter;
            writer.WriteLine(line);
        }
    }

    public void Finish()
    {
        if (drawn) writer.WriteLine();
    }

    private static string Bar(int done, int total)
    {
        int filled = total == 0 ? 20 : 20 * done / total;
        return "[" + new string('#', filled) + new string('.', 20 - filled) + "]";
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"m\:ss");
}
