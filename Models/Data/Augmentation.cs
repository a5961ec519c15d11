namespace AutoGrad.Models.Data;

/// <summary>
/// Training-time augmentation applied by <see cref="BatchIterator"/>: a random crop after zero padding by
/// <paramref name="CropPadding"/> pixels on every side (the image shifts by up to ±CropPadding, exposed
/// borders are pixel value 0 before normalisation), then, when <paramref name="HorizontalFlip"/>, a
/// left-right mirror with probability 0.5, then, with probability <paramref name="Erasing"/>, random erasing
/// (Zhong et al. 2017): one rectangle covering 2–40 % of the image with aspect ratio in [0.3, 1/0.3] is set to 0
/// after normalisation, i.e. to the training split's per-channel mean.
/// </summary>
public readonly record struct Augmentation(int CropPadding, bool HorizontalFlip, double Erasing = 0)
{
    /// <summary>No augmentation.</summary>
    public static Augmentation None => default;

    /// <summary>True when any transform is on.</summary>
    public bool Enabled => CropPadding > 0 || HorizontalFlip || Erasing > 0;
}
