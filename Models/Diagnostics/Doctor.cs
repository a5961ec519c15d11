using System.Diagnostics;
using AutoGrad.Models.Data;
using AutoGrad.Models.IO;
using AutoGrad.Models.Specs;

namespace AutoGrad.Models.Diagnostics;

/// <summary>
/// Says why a network does not learn: runs the dataset audit, the whole-model gradient audit, the training
/// health check and the sanity ladder on the user's model, data and settings, and returns ranked findings
/// with the seconds each part took. Parts listed in <see cref="DoctorOptions.Skip"/> are left out.
/// </summary>
public static class Doctor
{
    /// <summary>
    /// Loads <paramref name="data"/> (a name or folder) for <paramref name="spec"/>'s input shape, builds the model for its
    /// class count with <paramref name="recipe"/>, then diagnoses. Unreadable files, and data the loader refuses, become
    /// error findings instead of an exception, with the parts that need the data listed in <see cref="DoctorReport.NotRun"/>.
    /// </summary>
    public static DoctorReport Run(ModelSpec spec, Func<int, ModelRecipe> recipe, string data, DoctorOptions options, DataLoadOptions? load = null)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var scan = options.Runs("data") ? ImageFileScan.Run(data, spec.Channels, spec.Height, spec.Width).ToList() : [];
        DataSplits splits;
        try { splits = DatasetCatalog.Load(data, spec.Channels, spec.Height, spec.Width, load); }
        catch (AutoGradException e)
        {
            // The report is still the answer: the loader's error (file, line) becomes a finding, unless the file
            // scan already named its cause, and the parts that need the data are listed as not run.
            if (!scan.Any(f => f.Kind == FindingCatalog.UndecodableFiles))
                scan.Add(FindingCatalog.DataUnloadable.Create($"the data set {data} cannot be loaded", e.Message,
                    "fix the file and line named in the evidence, then run the doctor again"));
            string[] notRun = DoctorOptions.Parts.Where(options.Runs).Where(p => p != "data").ToArray();
            if (notRun.Length > 0)
                scan.Add(FindingCatalog.PartsNotRun.Create($"not run: {string.Join(", ", notRun)}", "they need the loaded data", "fix the data errors above"));
            return new DoctorReport(scan, [("data", clock.Elapsed.TotalSeconds)]) { NotRun = notRun };
        }
        using (splits) return Run(recipe(splits.Train.Classes.Count), splits, options, data, scan, clock.Elapsed.TotalSeconds);
    }

    public static DoctorReport Run(ModelRecipe recipe, DataSplits splits, DoctorOptions options, string? source = null)
        => Run(recipe, splits, options, source ?? splits.Train.Name, [], 0);

    private static DoctorReport Run(ModelRecipe recipe, DataSplits splits, DoctorOptions options, string source, List<Finding> findings, double loadSeconds)
    {
        options.Validate();
        using var compute = Compute.Use(options.Compute);
        var train = splits.Train;
        if (train.Classes.Count != recipe.Classes)
            throw new AutoGradException($"model {recipe.Spec.Name} is built for {recipe.Classes} classes but {train.Name} has {train.Classes.Count}");
        var norm = NormalizationFor(splits, options.Normalization);
        var timings = new List<(string, double)>();
        string? outDir = options.OutputDirectory;
        if (outDir is not null) Directory.CreateDirectory(outDir);

        var clock = Stopwatch.StartNew();
        if (options.Runs("data"))
        {
            findings.AddRange(DatasetAudit.Run(splits, norm, source, outDir is null ? null : Path.Combine(outDir, "montage.png")));
            timings.Add(("data", loadSeconds + clock.Elapsed.TotalSeconds));
        }

        GradientAuditResult? audit = null;
        if (options.Runs("gradcheck"))
        {
            clock.Restart();
            audit = Audit(recipe, train, norm, options);
            findings.AddRange(AuditFindings.From(audit));
            timings.Add(("gradcheck", clock.Elapsed.TotalSeconds));
        }

        TrainingHealthResult? health = null;
        if (options.Runs("health"))
        {
            clock.Restart();
            health = TrainingHealth.Run(recipe, train, norm, options);
            findings.AddRange(health.Findings);
            timings.Add(("health", clock.Elapsed.TotalSeconds));
        }

        SanityLadderResult? ladder = null;
        if (options.Runs("ladder"))
        {
            clock.Restart();
            ladder = SanityLadder.Run(recipe, splits, norm, options);
            findings.AddRange(ladder.Findings);
            timings.Add(("ladder", clock.Elapsed.TotalSeconds));
        }

        var report = new DoctorReport(findings, timings, audit, health, ladder);
        if (outDir is not null)
        {
            clock.Restart();
            var model = recipe.Create(options.Seed);
            var (images, labels) = SampleBatch.Take<float>(train, norm, SampleBatch.Spread(train, Math.Min(options.BatchSize, 32), options.Seed), recipe.Spec.Input);
            var (graph, style) = HealthOverlay.Build(model, images, labels, options.LossFunction, audit);
            AtomicFile.WriteAllText(Path.Combine(outDir, "health.dot"), graph.ToDot(style: style));
            if (audit is not null) AtomicFile.WriteAllText(Path.Combine(outDir, "gradcheck.txt"), DoctorReport.AuditTable(audit));
            timings.Add(("overlay", clock.Elapsed.TotalSeconds));
            report = new DoctorReport(report.Findings, timings, audit, health, ladder);
            AtomicFile.WriteAllText(Path.Combine(outDir, "report.json"), report.ToJson());
            AtomicFile.WriteAllText(Path.Combine(outDir, "report.txt"), report.ToText());
        }
        return report;
    }

    /// <summary>The gradient audit alone: the model in float64 on <see cref="DoctorOptions.AuditSamples"/> real samples.</summary>
    public static GradientAuditResult Audit(ModelRecipe recipe, ImageDataset train, Normalization norm, DoctorOptions options)
    {
        var model = recipe.ToFloat64(recipe.Create(options.Seed));
        var (images, labels) = SampleBatch.Take<double>(train, norm, SampleBatch.Spread(train, options.AuditSamples, options.Seed), recipe.Spec.Input);
        return GradientAudit.Run(model, images, labels, options.LossFunction, options.Seed);
    }

    /// <summary>train (the right one), test (a leak), none (x/255) or raw (0–255 as the model input).</summary>
    public static Normalization NormalizationFor(DataSplits splits, string source) => source switch
    {
        "train" => Normalization.Compute(splits.Train),
        "test" => Normalization.Compute(splits.Test),
        "none" => Normalization.None(splits.Train.Channels),
        "raw" => new Normalization(new float[splits.Train.Channels], Enumerable.Repeat(1f / 255, splits.Train.Channels).ToArray()),
        _ => throw new AutoGradException($"`{nameof(DoctorOptions.Normalization)}`: expected one of {string.Join(", ", DoctorOptions.NormalizationSources)}, got '{source}'"),
    };
}
