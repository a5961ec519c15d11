namespace AutoGrad.Models.Data;

/// <summary>One split's image files and their labels, as listed by a list file or found in class folders.</summary>
/// <param name="Name">The split's origin for messages and <see cref="ImageDataset.Name"/> (a list file or folder).</param>
/// <param name="Paths">Full paths, one per sample.</param>
/// <param name="Labels">Class index per sample.</param>
internal sealed record LabeledFiles(string Name, string[] Paths, int[] Labels);
