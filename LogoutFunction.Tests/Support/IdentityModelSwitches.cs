using System.Runtime.CompilerServices;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// The switch the app's runtime configuration sets (LogoutFunction.csproj), set for the test
/// host too, before any test touches IdentityModel, which reads its switches once.
/// </summary>
internal static class IdentityModelSwitches
{
    [ModuleInitializer]
    internal static void SetAsTheAppDoes() => AppContext.SetSwitch(SigningKeys.BlockingRefreshSwitch, true);
}
