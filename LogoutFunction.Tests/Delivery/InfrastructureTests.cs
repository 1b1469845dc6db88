using System.Text.Json.Nodes;
using LogoutFunction.Tests.Support;

namespace LogoutFunction.Tests.Delivery;

/// <summary>
/// infra/ checked offline with the real Bicep CLI (from its NuGet package): it builds and lints with
/// zero errors and zero warnings, and the compiled ARM template deploys what the issue asks for.
/// Nothing here talks to Azure.
/// </summary>
public sealed class InfrastructureTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";

    /// <summary>Every app setting of the configuration reference that applies in Azure, plus host storage.</summary>
    private static readonly string[] ExpectedAppSettings =
    [
        "AzureWebJobsStorage__accountName",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "RefreshTokenStorage__tableServiceUri",
        "RefreshTokenTable",
        "Jwt__PublicKeys",
        "Jwt__Authority",
        "Jwt__JwksUri",
        "Jwt__KeysRefreshMinutes",
        "Jwt__UnknownKeyRefreshSeconds",
        "Jwt__Algorithms",
        "Jwt__ClockSkewSeconds",
        "Jwt__Issuer",
        "Jwt__Audience",
        "Jwt__UserIdClaim",
        "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT",
    ];

    [Fact]
    public void The_Bicep_CLI_is_the_pinned_version()
    {
        var run = BicepCli.Run("--version");

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains($"Bicep CLI version {BicepCli.Version} ", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Bicep_build_of_infra_succeeds_with_no_errors_and_no_warnings()
    {
        Assert.True(compiled.Build.ExitCode == 0, compiled.Build.Describe());
        Assert.True(compiled.Build.Diagnostics.Count == 0, compiled.Build.Describe());
        Assert.NotNull(compiled.Template);
    }

    [Fact]
    public void Bicep_lint_of_infra_reports_no_errors_and_no_warnings()
    {
        Assert.True(compiled.Lint.ExitCode == 0, compiled.Lint.Describe());
        Assert.True(compiled.Lint.Diagnostics.Count == 0, compiled.Lint.Describe());
    }

    [Fact]
    public void Diagnostics_of_the_CLI_are_recognised()
    {
        // The two tests above rely on spotting diagnostics: show that a template with a warning is caught.
        var directory = Directory.CreateTempSubdirectory("logout-bicep-lint-").FullName;
        try
        {
            var file = Path.Combine(directory, "unused.bicep");
            File.WriteAllText(file, "param unused string\n");

            var run = BicepCli.Run("lint", file);

            Assert.Contains(run.Diagnostics, line => line.Contains("no-unused-params", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_function_app_runs_on_Flex_Consumption_on_Linux_with_the_dotnet_isolated_10_worker()
    {
        var plan = Assert.Single(compiled.ResourcesOfType("Microsoft.Web/serverfarms"));
        Assert.Equal("FC1", (string?)plan["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]?["tier"]);
        Assert.True((bool?)plan["properties"]?["reserved"], "The Flex Consumption plan must be Linux (reserved: true).");

        var app = Assert.Single(compiled.ResourcesOfType("Microsoft.Web/sites"));
        Assert.Equal("functionapp,linux", (string?)app["kind"]);
        var runtime = app["properties"]?["functionAppConfig"]?["runtime"];
        Assert.Equal("dotnet-isolated", (string?)runtime?["name"]);
        Assert.Equal("[parameters('dotnetVersion')]", (string?)runtime?["version"]);
        Assert.Equal("10.0", (string?)compiled.RequireTemplate()["parameters"]?["dotnetVersion"]?["defaultValue"]);
        Assert.Equal("[parameters('dotnetVersion')]", ModuleParameter("function-app", "dotnetVersion"));

        var deploymentStorage = app["properties"]?["functionAppConfig"]?["deployment"]?["storage"];
        Assert.Equal("blobContainer", (string?)deploymentStorage?["type"]);
        Assert.Equal("SystemAssignedIdentity", (string?)deploymentStorage?["authentication"]?["type"]);
    }

    [Fact]
    public void The_function_app_has_a_system_assigned_identity_HTTPS_only_TLS_1_2_no_FTP_and_CORS_from_a_parameter()
    {
        var app = Assert.Single(compiled.ResourcesOfType("Microsoft.Web/sites"));
        Assert.Equal("SystemAssigned", (string?)app["identity"]?["type"]);
        Assert.True((bool?)app["properties"]?["httpsOnly"], "httpsOnly must be true.");

        var siteConfig = app["properties"]?["siteConfig"];
        Assert.Equal("1.2", (string?)siteConfig?["minTlsVersion"]);
        Assert.Equal("Disabled", (string?)siteConfig?["ftpsState"]);
        Assert.Equal("[parameters('corsAllowedOrigins')]", (string?)siteConfig?["cors"]?["allowedOrigins"]);
        Assert.Contains("corsAllowedOrigins", ModuleParameter("function-app", "corsAllowedOrigins"), StringComparison.Ordinal);
        Assert.True(compiled.RequireTemplate()["parameters"]?["corsAllowedOrigins"] is not null, "CORS origins must be a parameter of main.bicep.");

        // No username/password publishing at all.
        var policies = compiled.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(2, policies.Count);
        Assert.All(policies, policy => Assert.False((bool?)policy["properties"]?["allow"]));
    }

    [Fact]
    public void Every_storage_account_refuses_shared_keys_anonymous_access_plain_HTTP_and_old_TLS()
    {
        var accounts = compiled.ResourcesOfType("Microsoft.Storage/storageAccounts").ToList();
        Assert.NotEmpty(accounts);
        Assert.All(accounts, account =>
        {
            var properties = account["properties"];
            Assert.False((bool?)properties?["allowSharedKeyAccess"]);
            Assert.False((bool?)properties?["allowBlobPublicAccess"]);
            Assert.True((bool?)properties?["supportsHttpsTrafficOnly"]);
            Assert.Equal("TLS1_2", (string?)properties?["minimumTlsVersion"]);
        });

        // Two accounts: the app's own (host state + deployment package) and the refresh-token data.
        Assert.Contains("deploymentContainerName", ModuleParameter("host-storage", "containerNames"), StringComparison.Ordinal);
        Assert.Contains("refreshTokenTableName", ModuleParameter("data-storage", "tableNames"), StringComparison.Ordinal);
        Assert.Equal("RefreshTokens", (string?)compiled.RequireTemplate()["parameters"]?["refreshTokenTableName"]?["defaultValue"]);
    }

    [Fact]
    public void App_settings_cover_the_configuration_reference_and_hold_no_connection_string_or_key()
    {
        var settings = compiled.Module("function-app")["properties"]?["parameters"]?["appSettings"]?["value"]?.AsObject();
        Assert.NotNull(settings);

        Assert.Equal(ExpectedAppSettings.Order(StringComparer.Ordinal), settings.Select(pair => pair.Key).Order(StringComparer.Ordinal));

        // Identity-based storage only: no connection-string settings, and FUNCTIONS_WORKER_RUNTIME lives in
        // functionAppConfig.runtime on Flex Consumption.
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Select(pair => pair.Key));
        Assert.DoesNotContain("RefreshTokenStorage", settings.Select(pair => pair.Key));
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Select(pair => pair.Key));
        Assert.Contains("tableEndpoint", (string?)settings["RefreshTokenStorage__tableServiceUri"], StringComparison.Ordinal);
        Assert.Equal("[parameters('jwtPublicKeys')]", (string?)settings["Jwt__PublicKeys"]);
        Assert.Equal("[parameters('jwtAuthority')]", (string?)settings["Jwt__Authority"]);
        Assert.Equal("[parameters('jwtJwksUri')]", (string?)settings["Jwt__JwksUri"]);
        Assert.Equal("[string(parameters('requestBodySizeLimitBytes'))]", (string?)settings["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"]);
        // Above the function's own 64 KiB (so row 5 still answers 413) and far below the host's 100 MB.
        Assert.Equal(131072, (int?)compiled.RequireTemplate()["parameters"]?["requestBodySizeLimitBytes"]?["defaultValue"]);

        var text = compiled.RequireTemplate().ToJsonString();
        Assert.DoesNotContain("listKeys", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_app_identity_gets_table_data_contributor_on_the_data_account_and_blob_data_owner_on_its_own()
    {
        Assert.Equal(StorageTableDataContributor, RoleOf("data-storage-access"));
        Assert.Contains("'data-storage'", ModuleParameter("data-storage-access", "storageAccountName"), StringComparison.Ordinal);

        Assert.Equal(StorageBlobDataOwner, RoleOf("host-storage-access"));
        Assert.Contains("'host-storage'", ModuleParameter("host-storage-access", "storageAccountName"), StringComparison.Ordinal);

        foreach (var module in new[] { "data-storage-access", "host-storage-access" })
        {
            Assert.Contains("'function-app'", ModuleParameter(module, "principalId"), StringComparison.Ordinal);
        }

        var assignments = compiled.ResourcesOfType("Microsoft.Authorization/roleAssignments").ToList();
        Assert.Equal(2, assignments.Count);
        Assert.All(assignments, assignment => Assert.Equal("ServicePrincipal", (string?)assignment["properties"]?["principalType"]));
    }

    [Fact]
    public void Application_Insights_is_workspace_based_and_connected_to_the_app()
    {
        var workspace = Assert.Single(compiled.ResourcesOfType("Microsoft.OperationalInsights/workspaces"));
        Assert.NotNull(workspace);
        var insights = Assert.Single(compiled.ResourcesOfType("Microsoft.Insights/components"));
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string?)insights["properties"]?["WorkspaceResourceId"], StringComparison.Ordinal);

        var connection = (string?)compiled.Module("function-app")["properties"]?["parameters"]?["appSettings"]?["value"]?["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        Assert.Contains("applicationInsightsConnectionString", connection, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_are_the_app_name_and_the_logout_URL()
    {
        var outputs = compiled.RequireTemplate()["outputs"]?.AsObject();
        Assert.NotNull(outputs);
        Assert.Contains("'function-app'", (string?)outputs["AZURE_FUNCTION_APP_NAME"]?["value"], StringComparison.Ordinal);
        var logoutUrl = (string?)outputs["LOGOUT_URL"]?["value"];
        Assert.Contains("https://", logoutUrl, StringComparison.Ordinal);
        Assert.Contains("/api/logout", logoutUrl, StringComparison.Ordinal);
        Assert.Contains("defaultHostName", logoutUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void The_azd_parameters_file_matches_the_template()
    {
        var parameters = JsonNode.Parse(RepositoryPaths.Read("infra", "main.parameters.json"))?["parameters"]?.AsObject();
        Assert.NotNull(parameters);
        var declared = compiled.RequireTemplate()["parameters"]!.AsObject();

        foreach (var (name, _) in parameters)
        {
            Assert.True(declared.ContainsKey(name), $"main.parameters.json sets '{name}', which main.bicep does not declare.");
        }

        foreach (var (name, definition) in declared)
        {
            var required = definition?["defaultValue"] is null;
            Assert.True(!required || parameters.ContainsKey(name), $"main.bicep requires '{name}', which main.parameters.json does not set.");
        }

        Assert.Equal("${AZURE_ENV_NAME}", (string?)parameters["environmentName"]?["value"]);
        Assert.Equal("${AZURE_LOCATION}", (string?)parameters["location"]?["value"]);
        Assert.Equal("${JWT_PUBLIC_KEYS=}", (string?)parameters["jwtPublicKeys"]?["value"]);
        Assert.Equal("${JWT_AUTHORITY=}", (string?)parameters["jwtAuthority"]?["value"]);
        Assert.Equal("${JWT_JWKS_URI=}", (string?)parameters["jwtJwksUri"]?["value"]);
    }

    private string RoleOf(string module)
    {
        var value = ModuleParameter(module, "roleDefinitionId");
        var variables = compiled.RequireTemplate()["variables"]?.AsObject();
        const string prefix = "[variables('";
        return value.StartsWith(prefix, StringComparison.Ordinal) && variables is not null
            ? (string?)variables[value[prefix.Length..^3]] ?? value
            : value;
    }

    private string ModuleParameter(string module, string parameter)
    {
        var value = compiled.Module(module)["properties"]?["parameters"]?[parameter]?["value"];
        Assert.True(value is not null, $"Module '{module}' gets no parameter '{parameter}'.");
        return value is JsonValue ? (string?)value ?? "" : value.ToJsonString();
    }
}
