namespace FunctionsHostEmulator.Configuration;

/// <summary>
/// The host's cap on request bodies. Follows Azure/azure-functions-host:
/// <c>src/WebJobs.Script.WebHost/Program.cs</c> (Kestrel's limit set to
/// <c>ScriptConstants.DefaultMaxRequestBodySize</c>, 100 MB) and
/// <c>Middleware/HttpRequestBodySizeMiddleware.cs</c> (the app setting
/// <c>FUNCTIONS_REQUEST_BODY_SIZE_LIMIT</c>, when it parses as a number, becomes each request's
/// <c>IHttpMaxRequestBodySizeFeature.MaxRequestBodySize</c>; otherwise the default stands).
/// </summary>
internal static class RequestBodySizeLimit
{
    public const string Setting = "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT";

    public const long Default = 104_857_600;

    /// <summary>The per-request limit the app settings ask for, or null when they leave the default.</summary>
    public static long? FromSettings(IReadOnlyDictionary<string, string?> workerEnvironment)
    {
        var value = workerEnvironment.TryGetValue(Setting, out var configured) ? configured : Environment.GetEnvironmentVariable(Setting);
        return long.TryParse(value, out var limit) ? limit : null;
    }
}
