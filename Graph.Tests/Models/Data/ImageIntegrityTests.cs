using AutoGrad.Models.Data;
using FsCheck;
using FsCheck.Xunit;

namespace AutoGrad.Tests.Models.Data;

public sealed class ImageIntegrityTests : IDisposable
{
    private readonly DataFixtures files = new();

    public void Dispose() => files.Dispose();

    private static string? Damage(byte[] bytes)
    {
        try
        {
            ImageConverter.Inspect(bytes, ImageConverter.CreateConfiguration());
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException) { return e.Message; }
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Models", "Data", "Fixtures", name);

    [Theory]
    [MemberData(nameof(Formats))]
    public void CompleteFilesOfEveryFormatPass(string format)
    {
        foreach (var (w, h) in new[] { (1, 1), (7, 5), (33, 17), (64, 48) })
            Assert.Null(Damage(EncodedImages.Encode(format, w, h, seed: w)));
    }

    public static TheoryData<string> Formats() => [.. EncodedImages.Encoders.Select(e => e.Name)];

    // Cut points: a third in (inside the first scan's entropy-coded data), just before the end marker, one byte short.
    [Theory]
    [InlineData("jpeg", 3, 0)]
    [InlineData("jpeg", 1, 2)]
    [InlineData("jpeg", 1, 1)]
    [InlineData("png", 2, 0)]
    [InlineData("png", 1, 12)]
    [InlineData("png", 1, 1)]
    public void TruncatedFileIsRefusedByTheDecoderNamingIt(string format, int divisor, int shortBy)
    {
        byte[] whole = EncodedImages.Encode(format, 64, 48, seed: 3);
        int cut = divisor > 1 ? whole.Length / divisor : whole.Length - shortBy;
        string path = files.PathOf($"cut.{format}");
        File.WriteAllBytes(path, whole[..cut]);
        var chw = new byte[3 * 8 * 8];
        var e = Assert.Throws<AutoGradException>(() => ImageConverter.DecodeFile(path, 3, 8, 8, ImageConverter.CreateConfiguration(), chw));
        Assert.StartsWith(path + ": truncated", e.Message);
    }

    [Fact]
    public void ProgressiveJpegCutAfterACompleteScanIsRefused()
    {
        byte[] whole = File.ReadAllBytes(Fixture("progressive.jpg"));
        Assert.Null(Damage(whole));
        var scans = Enumerable.Range(0, whole.Length - 1).Where(i => whole[i] == 0xFF && whole[i + 1] == 0xDA).ToList();
        Assert.True(scans.Count > 2, "the fixture should be progressive (several scans)");
        // Cut just before each later scan: every scan so far is complete, but the image is not.
        foreach (int start in scans.Skip(1))
            Assert.Contains("truncated JPEG", Damage(whole[..start]));
        Assert.Contains("truncated JPEG", Damage(whole[..^2]));
    }

    /// <summary>No prefix of a file is clean: any cut, in any format, is found (by the check, or by the header read before it).</summary>
    [Property(MaxTest = 300)]
    [Trait("Category", "Slow")]
    public void NoCutPointLetsATruncatedFileThrough(PositiveInt seed, PositiveInt cutSeed)
    {
        var rng = new Random(seed.Get);
        var (format, _) = EncodedImages.Encoders[rng.Next(EncodedImages.Encoders.Length)];
        byte[] whole = EncodedImages.Encode(format, rng.Next(1, 40), rng.Next(1, 40), seed.Get);
        int cut = cutSeed.Get % DescribedLength(format, whole);
        Assert.Null(Damage(whole));
        Assert.True(Damage(whole[..cut]) is not null, $"{format}, {whole.Length} bytes cut to {cut} passed as clean");
    }

    // The cuts that lose data. ImageSharp's TIFF encoder pads its last value (the Software string) to an even
    // offset: cutting that byte loses nothing. A plain (ASCII) netpbm file cut inside its last number, or in the
    // whitespace after it, reads as complete with a shorter last value: no reader can tell, so those cuts are left out.
    private static int DescribedLength(string format, byte[] whole)
    {
        if (format == "tiff" && whole.Length % 2 == 1 && whole[^1] == 0) return whole.Length - 1;
        if (format != "pbm") return whole.Length;
        int last = Array.FindLastIndex(whole, b => char.IsAsciiDigit((char)b));
        while (last > 0 && char.IsAsciiDigit((char)whole[last - 1])) last--;
        return last + 1;
    }

    [Fact]
    public void PropertyCoversEveryCutOfEveryFormatOnce()
    {
        // The exhaustive twin of the property on one small image per format.
        foreach (var (format, _) in EncodedImages.Encoders)
        {
            byte[] whole = EncodedImages.Encode(format, 9, 7, seed: 5);
            var missed = Enumerable.Range(0, DescribedLength(format, whole)).Where(cut => Damage(whole[..cut]) is null).ToList();
            Assert.True(missed.Count == 0, $"{format} ({whole.Length} bytes): cuts passed as clean at {string.Join(", ", missed.Take(10))}");
        }
    }
}
