using System.Security.Cryptography;
using System.Text;

namespace AutoGrad.Models.IO;

/// <summary>
/// Writes files so that a reader (or a crash) never sees half of one: the bytes go to a temporary file in the
/// same folder, are flushed to disk, and the temporary file is then renamed over the target in one step.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> with a stream on <c>"&lt;path&gt;.tmp-&lt;random&gt;"</c>, flushes it to disk
    /// and moves it over <paramref name="path"/>. Creates the folder if needed. If <paramref name="write"/> or the
    /// move throws, the temporary file is deleted, any existing file at <paramref name="path"/> is left as it was,
    /// and the exception propagates.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new AutoGradException("AtomicFile.Write: expected a file path, got an empty one");
        if (write is null)
            throw new AutoGradException($"{path}: AtomicFile.Write expected a writer callback, got null");
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new AutoGradException($"{path}: expected a file path, but it is a folder");
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);

        // Same folder as the target so the final rename never crosses file systems (which would not be atomic).
        string temp = full + ".tmp-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                // Flush(true) asks the OS to put the bytes on disk before the rename makes them visible; otherwise
                // a power cut right after the rename can leave an empty or truncated file under the final name.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Atomically writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text)
    {
        if (text is null)
            throw new AutoGradException($"{path}: AtomicFile.WriteAllText expected text, got null");
        byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        Write(path, stream => stream.Write(bytes));
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // The original exception is the one worth reporting; a leftover temp file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
