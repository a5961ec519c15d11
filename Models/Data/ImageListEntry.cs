namespace AutoGrad.Models.Data;

/// <summary>One parsed line of a list file: the image's full path, its label, its class folder (synset) and line number.</summary>
internal readonly record struct ImageListEntry(string Path, int Label, string Synset, int Line);
