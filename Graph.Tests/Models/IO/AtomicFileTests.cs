using AutoGrad.Models.IO;
using Xunit;

namespace AutoGrad.Tests.Models.IO;

public class AtomicFileTests
{
    [Fact]
    public void Write_ReplacesContentAndLeavesNoTempFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("out.txt");
        File.WriteAllText(path, "old");
        AtomicFile.WriteAllText(path, "new ✓");
        Assert.Equal("new ✓", File.ReadAllText(path));
        Assert.Equal(new[] { "out.txt" }, folder.FileNames());
        Assert.NotEqual(0xEF, File.ReadAllBytes(path)[0]); // no UTF-8 byte-order mark
    }

    [Fact]
    public void Write_WhenWriterThrows_KeepsOldFileAndDeletesTemp()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        File.WriteAllText(path, "previous checkpoint");
        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new InvalidOperationException("disk on fire");
        }));
        Assert.Equal("disk on fire", error.Message);
        Assert.Equal("previous checkpoint", File.ReadAllText(path));
        Assert.Equal(new[] { "model.safetensors" }, folder.FileNames());
    }

    [Fact]
    public void Write_WhenWriterThrowsAndNoOldFile_CreatesNothing()
    {
        using var folder = new TempFolder();
        Assert.Throws<IOException>(() => AtomicFile.Write(folder.File("a.bin"), _ => throw new IOException("full")));
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public void Write_CreatesMissingFolder()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "runs", "1", "metrics.csv");
        AtomicFile.WriteAllText(path, "x");
        Assert.Equal("x", File.ReadAllText(path));
    }

    [Fact]
    public void Write_RejectsEmptyPathAndFolderPath()
    {
        using var folder = new TempFolder();
        Assert.Throws<AutoGradException>(() => AtomicFile.WriteAllText("", "x"));
        var error = Assert.Throws<AutoGradException>(() => AtomicFile.WriteAllText(folder.Path, "x"));
        Assert.Contains(folder.Path, error.Message);
    }
}
