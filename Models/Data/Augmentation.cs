namespace AutoGrad.Models.Data;

/// <summary>
/// Training-time augmentation applied by <see cref="BatchIterator"/>: a random crop after zero padding by
/// <paramref name="CropPadding"/> pixels on every side (the image shifts by up to ±CropPadding, exposed
/// borders are pixel value 0 before normalisation), then, when <paramref name="HorizontalFlip"/>, a
/// left-right mirror with probability 0.5.
/// </summary>
public readonly record struct Augmentation(int CropPadding, bool HorizontalFlip)
{
    /// <summary>No augmentation.</summary>
    public static Augmentation None => default;

    /// <summary>True when either transform is on.</summary>
    public bool Enabled => CropPadding > 0 || HorizontalFlip;
}
