global using System.Numerics;
global using TP = System.Numerics.Tensors.TensorPrimitives;
