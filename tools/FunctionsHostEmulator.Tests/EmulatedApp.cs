using LogoutFunction.Tests.EndToEnd;

namespace FunctionsHostEmulator.Tests;

/// <summary>The built logout app under the emulator with its own Azurite, started once for these tests.</summary>
[CollectionDefinition(Name)]
public sealed class EmulatedApp : ICollectionFixture<LogoutApp>
{
    public const string Name = "Emulated app";
}
