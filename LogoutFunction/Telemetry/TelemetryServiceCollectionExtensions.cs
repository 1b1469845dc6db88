using System.Runtime.CompilerServices;
using Azure.Identity;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The host's own setting (<c>Authorization=AAD;ClientId=...</c>), read by the worker too.</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    private const string ApplicationInsightsLoggerProvider =
        "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    /// <summary>
    /// Application Insights the standard way for isolated workers, registered only when
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set: unconfigured, its modules would still
    /// collect on every request and slow the worker's start for telemetry nobody receives.
    /// </summary>
    public static IServiceCollection AddLogoutTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]))
        {
            AddApplicationInsights(services, configuration);
        }

        return services;
    }

    // Apart, so that an app without Application Insights never loads its assemblies.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddApplicationInsights(IServiceCollection services, IConfiguration configuration)
    {
        services.AddApplicationInsightsTelemetryWorkerService(options => options.EnableAdaptiveSampling = false)
            .ConfigureFunctionsApplicationInsights();
        services.AddSingleton<ITelemetryInitializer, EntityKeyRedaction>();

        services.Configure<TelemetryConfiguration>(telemetry =>
        {
            // The per-request entry is the audit trail of logouts: adaptive sampling would keep
            // only a share of it under load. Everything else is still sampled, as by default.
            var chain = telemetry.DefaultTelemetrySink.TelemetryProcessorChainBuilder;
            chain.UseAdaptiveSampling(excludedTypes: "Trace;Exception;Event");
            chain.Build();

            // With local authentication disabled on the resource, ingestion takes Entra ID only.
            if (EntraIdentity(configuration[AuthenticationStringSetting]) is { } credential)
            {
                telemetry.SetAzureTokenCredential(credential);
            }
        });

        // The SDK adds a rule that keeps only warnings; the per-request Information entry is
        // the one that says what each logout did, so host.json's levels decide instead.
        services.Configure<LoggerFilterOptions>(options =>
        {
            var warningsOnly = options.Rules.FirstOrDefault(rule => rule.ProviderName == ApplicationInsightsLoggerProvider);
            if (warningsOnly is not null)
            {
                options.Rules.Remove(warningsOnly);
            }
        });
    }

    /// <summary>The managed identity of <c>Authorization=AAD[;ClientId=...]</c>, or null without Entra ID ingestion.</summary>
    internal static ManagedIdentityCredential? EntraIdentity(string? authenticationString)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in (authenticationString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // A repeated key is not worth stopping the worker for: the last one counts.
            if (part.Split('=', 2, StringSplitOptions.TrimEntries) is [var key, var value])
            {
                parts[key] = value;
            }
        }

        if (!parts.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new ManagedIdentityCredential(parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? ManagedIdentityId.FromUserAssignedClientId(clientId)
            : ManagedIdentityId.SystemAssigned);
    }
}
