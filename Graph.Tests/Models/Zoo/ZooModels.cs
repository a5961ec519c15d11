using System.Collections.Concurrent;
using AutoGrad.Models;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Tests.Models.Zoo;

/// <summary>
/// Zoo models built once (seed 0) per class count and shared by tests that only read them: the seed
/// models hold 29–72 million parameters and take seconds to initialise. Callers must not train or modify them.
/// </summary>
public static class ZooModels
{
    private static readonly ConcurrentDictionary<string, Lazy<Model<float>>> Built = new();

    public static Model<float> TenClasses(string name) =>
        Built.GetOrAdd(name, n => new Lazy<Model<float>>(() =>
        {
            Assert.True(ModelZoo.TryGet(n, out var spec), n);
            return ModelBuilder.Build<float>(spec, 10);
        })).Value;
}
