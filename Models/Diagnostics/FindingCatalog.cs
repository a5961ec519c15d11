namespace AutoGrad.Models.Diagnostics;

/// <summary>
/// Every finding the doctor can report, in rank order: a finding's rank is its row's position, so the order
/// in which a report lists findings of equal severity (root causes before symptoms) is read here, in one place.
/// An id whose severity depends on the evidence (e.g. <c>dead-relu</c>: an error when most units are dead) has
/// one row per severity. docs/diagnosis.md describes each id.
/// </summary>
public static class FindingCatalog
{
    // Errors: the network will not learn properly. Data that cannot be read first, then broken gradients,
    // then the settings and symptoms they cause.
    public static readonly FindingKind DataUnloadable = new("data-unloadable", Severity.Error);
    public static readonly FindingKind UndecodableFiles = new("undecodable-files", Severity.Error);
    public static readonly FindingKind GradcheckFailed = new("gradcheck-failed", Severity.Error);
    public static readonly FindingKind GradcheckEndToEnd = new("gradcheck-end-to-end", Severity.Error);
    public static readonly FindingKind ParamNoGrad = new("param-no-grad", Severity.Error);
    public static readonly FindingKind ParamFrozen = new("param-frozen", Severity.Error);
    public static readonly FindingKind InputsNotNormalised = new("inputs-not-normalised", Severity.Error);
    public static readonly FindingKind SoftmaxBeforeLoss = new("softmax-before-loss", Severity.Error);
    public static readonly FindingKind BatchesClassSorted = new("batches-class-sorted", Severity.Error);
    public static readonly FindingKind LossConstant = new("loss-constant", Severity.Error);
    public static readonly FindingKind NonFinite = new("non-finite", Severity.Error);
    public static readonly FindingKind OverfitFailed = new("overfit-failed", Severity.Error);
    public static readonly FindingKind InitialLoss = new("initial-loss", Severity.Error);
    public static readonly FindingKind DeadRelu = new("dead-relu", Severity.Error);
    public static readonly FindingKind LabelsNotLearnable = new("labels-not-learnable", Severity.Error);
    public static readonly FindingKind InputsIgnored = new("inputs-ignored", Severity.Error);

    // Warnings: accuracy or trust is at risk.
    public static readonly FindingKind InitialLossHigh = new("initial-loss", Severity.Warning);
    public static readonly FindingKind WeightInitLarge = new("weight-init-large", Severity.Warning);
    public static readonly FindingKind WeightInitSmall = new("weight-init-small", Severity.Warning);
    public static readonly FindingKind BiasInitLarge = new("bias-init-large", Severity.Warning);
    public static readonly FindingKind DeadReluPartly = new("dead-relu", Severity.Warning);
    public static readonly FindingKind ActivationSaturated = new("activation-saturated", Severity.Warning);
    public static readonly FindingKind ActivationsExplode = new("activations-explode", Severity.Warning);
    public static readonly FindingKind ParamZeroGrad = new("param-zero-grad", Severity.Warning);
    public static readonly FindingKind NormalisationFromTest = new("normalisation-from-test", Severity.Warning);
    public static readonly FindingKind LossNotAveraged = new("loss-not-averaged", Severity.Warning);
    public static readonly FindingKind OptimizerNonstandard = new("optimizer-nonstandard", Severity.Warning);
    public static readonly FindingKind UpdateRatioHigh = new("update-ratio-high", Severity.Warning);
    public static readonly FindingKind UpdateRatioLow = new("update-ratio-low", Severity.Warning);
    public static readonly FindingKind PredictionsCollapsed = new("predictions-collapsed", Severity.Warning);
    public static readonly FindingKind OverfitSlow = new("overfit-slow", Severity.Warning);
    public static readonly FindingKind LrFarFromBest = new("lr-far-from-best", Severity.Warning);
    public static readonly FindingKind LrSweepDiverged = new("lr-sweep-diverged", Severity.Warning);
    public static readonly FindingKind LossNotDecreasing = new("loss-not-decreasing", Severity.Warning);
    public static readonly FindingKind CmykImages = new("cmyk-images", Severity.Warning);
    public static readonly FindingKind GrayscaleImages = new("grayscale-images", Severity.Warning);
    public static readonly FindingKind TinyImages = new("tiny-images", Severity.Warning);
    public static readonly FindingKind UnusualAspect = new("unusual-aspect", Severity.Warning);
    public static readonly FindingKind ClassMissing = new("class-missing", Severity.Warning);
    public static readonly FindingKind ClassImbalance = new("class-imbalance", Severity.Warning);
    public static readonly FindingKind TrainTestDuplicates = new("train-test-duplicates", Severity.Warning);
    public static readonly FindingKind ConflictingDuplicates = new("conflicting-duplicates", Severity.Warning);
    public static readonly FindingKind ClassOrderLexicographic = new("class-order-lexicographic", Severity.Warning);
    public static readonly FindingKind GradcheckEndToEndOnly = new("gradcheck-end-to-end", Severity.Warning);

    // Info: context and the numbers behind a healthy verdict.
    public static readonly FindingKind PartsNotRun = new("parts-not-run", Severity.Info);
    public static readonly FindingKind GrayscaleMajority = new("grayscale-images", Severity.Info);
    public static readonly FindingKind TrainTestDuplicatesFew = new("train-test-duplicates", Severity.Info);
    public static readonly FindingKind InputsNotStandardised = new("inputs-not-standardised", Severity.Info);
    public static readonly FindingKind DataSortedByClass = new("data-sorted-by-class", Severity.Info);
    public static readonly FindingKind ClassMapping = new("class-mapping", Severity.Info);
    public static readonly FindingKind Normalisation = new("normalisation", Severity.Info);
    public static readonly FindingKind InitialLossOk = new("initial-loss", Severity.Info);
    public static readonly FindingKind Activations = new("activations", Severity.Info);
    public static readonly FindingKind GradientFlow = new("gradient-flow", Severity.Info);
    public static readonly FindingKind OverfitOk = new("overfit-ok", Severity.Info);
    public static readonly FindingKind ControlsInconclusive = new("controls-inconclusive", Severity.Info);
    public static readonly FindingKind ControlsOk = new("controls-ok", Severity.Info);
    public static readonly FindingKind LrSweep = new("lr-sweep", Severity.Info);
    public static readonly FindingKind ImageSizes = new("image-sizes", Severity.Info);
    public static readonly FindingKind ClassCounts = new("class-counts", Severity.Info);
    public static readonly FindingKind GradcheckPassed = new("gradcheck-passed", Severity.Info);
    public static readonly FindingKind Timings = new("timings", Severity.Info);

    /// <summary>The catalogue in rank order; <see cref="FindingKind.Rank"/> is the position here.</summary>
    public static IReadOnlyList<FindingKind> All { get; } = Ranked(
        DataUnloadable, UndecodableFiles, GradcheckFailed, GradcheckEndToEnd, ParamNoGrad, ParamFrozen,
        InputsNotNormalised, SoftmaxBeforeLoss, BatchesClassSorted, LossConstant, NonFinite, OverfitFailed,
        InitialLoss, DeadRelu, LabelsNotLearnable, InputsIgnored, InitialLossHigh, WeightInitLarge,
        WeightInitSmall, BiasInitLarge, DeadReluPartly, ActivationSaturated, ActivationsExplode, ParamZeroGrad,
        NormalisationFromTest, LossNotAveraged, OptimizerNonstandard, UpdateRatioHigh, UpdateRatioLow, PredictionsCollapsed,
        OverfitSlow, LrFarFromBest, LrSweepDiverged, LossNotDecreasing, CmykImages, GrayscaleImages,
        TinyImages, UnusualAspect, ClassMissing, ClassImbalance, TrainTestDuplicates, ConflictingDuplicates,
        ClassOrderLexicographic, GradcheckEndToEndOnly, PartsNotRun, GrayscaleMajority, TrainTestDuplicatesFew, InputsNotStandardised,
        DataSortedByClass, ClassMapping, Normalisation, InitialLossOk, Activations, GradientFlow,
        OverfitOk, ControlsInconclusive, ControlsOk, LrSweep, ImageSizes, ClassCounts,
        GradcheckPassed, Timings);

    private static FindingKind[] Ranked(params FindingKind[] kinds)
    {
        for (int i = 0; i < kinds.Length; i++) kinds[i].Rank = i;
        return kinds;
    }
}
