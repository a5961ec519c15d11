namespace AutoGrad.Models.IO;

/// <summary>
/// One validated tensor description from a safetensors header: where its bytes lie in the data section
/// (<see cref="Begin"/> inclusive, <see cref="End"/> exclusive) and how to read them.
/// </summary>
internal readonly record struct SafeTensorsEntry(string Name, string DType, int[] Shape, int Count, long Begin, long End);
