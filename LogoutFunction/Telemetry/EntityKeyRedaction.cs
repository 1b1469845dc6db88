using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;

namespace LogoutFunction.Telemetry;

/// <summary>
/// Keeps entity keys out of dependency telemetry. The Azure SDK reports a request's URL
/// (<c>Data</c>) and path (<c>Name</c>), <c>.../RefreshTokens(PartitionKey='…',RowKey='…')</c>; a
/// refresh token's RowKey and a revocation marker's PartitionKey are the SHA-256 of the user id,
/// which hashing a list of user names reverses.
/// </summary>
internal sealed class EntityKeyRedaction : ITelemetryInitializer
{
    private const string Redacted = "(…)";

    public void Initialize(ITelemetry telemetry)
    {
        if (telemetry is DependencyTelemetry dependency)
        {
            dependency.Data = Redact(dependency.Data);
            dependency.Name = Redact(dependency.Name);
        }
    }

    /// <summary>The text up to an entity address's opening parenthesis (plain or percent-encoded), then a placeholder.</summary>
    internal static string? Redact(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var plain = text.IndexOf("(PartitionKey=", StringComparison.OrdinalIgnoreCase);
        var encoded = text.IndexOf("%28PartitionKey", StringComparison.OrdinalIgnoreCase);
        var start = plain < 0 ? encoded : encoded < 0 ? plain : Math.Min(plain, encoded);
        return start < 0 ? text : text[..start] + Redacted;
    }
}
