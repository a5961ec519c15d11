using System.Reflection;
using AutoGrad.Models.Diagnostics;

namespace AutoGrad.Tests.Models.Diagnostics;

public class FindingCatalogTests
{
    private static readonly FindingKind[] Fields = typeof(FindingCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(FindingKind)).Select(f => (FindingKind)f.GetValue(null)!).ToArray();

    [Fact]
    public void EveryKindIsRankedOnceAndSeveritiesComeInOrder()
    {
        // Each row of the table is in the ranked list exactly once, so every finding has a rank from the one table.
        Assert.Equal(Fields.Length, FindingCatalog.All.Count);
        Assert.Equal(Fields.ToHashSet(ReferenceEqualityComparer.Instance).Count, FindingCatalog.All.ToHashSet(ReferenceEqualityComparer.Instance).Count);
        Assert.All(Fields, k => Assert.Contains(k, FindingCatalog.All));
        Assert.Equal(Enumerable.Range(0, FindingCatalog.All.Count), FindingCatalog.All.Select(k => k.Rank));
        // An id appears once per severity, and errors rank before warnings before info.
        Assert.Equal(FindingCatalog.All.Count, FindingCatalog.All.Select(k => (k.Id, k.Severity)).Distinct().Count());
        Assert.Equal(FindingCatalog.All.OrderBy(k => k.Severity).Select(k => k.Id), FindingCatalog.All.Select(k => k.Id));
    }

    [Fact]
    public void EveryIdIsDescribedInTheDiagnosisGuide()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "AutoGrad.sln"))) root = Path.GetDirectoryName(root)!;
        string guide = File.ReadAllText(Path.Combine(root, "docs", "diagnosis.md"));
        var missing = FindingCatalog.All.Select(k => k.Id).Distinct().Where(id => !guide.Contains($"`{id}`")).ToList();
        Assert.True(missing.Count == 0, $"docs/diagnosis.md does not name: {string.Join(", ", missing)}");
    }
}
