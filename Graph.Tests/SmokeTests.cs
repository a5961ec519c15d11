namespace AutoGrad.Tests;
public class SmokeTests { [Fact] public void Builds() => Assert.NotNull(typeof(AutoGradException)); }
