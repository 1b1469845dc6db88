using System.Text;
using System.Text.Json.Nodes;
using LogoutFunction.Logout;

namespace Delivery.Tests;

/// <summary>
/// infra/ checked offline with the real Bicep CLI (from its NuGet package): it builds and lints with
/// zero errors and zero warnings, and the compiled ARM template deploys what the issue asks for.
/// Nothing here talks to Azure.
/// </summary>
public sealed class InfrastructureTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    /// <summary>The modules that grant the app's identity its roles; the app is deployed after all of them.</summary>
    private static readonly string[] RoleAssignmentModules =
        ["host-storage-access", "host-storage-table-access", "data-storage-access", "revocation-marker-access", "monitoring-access"];

    /// <summary>Every app setting of the configuration reference that applies in Azure, plus host storage.</summary>
    private static readonly string[] ExpectedAppSettings =
    [
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "AZURE_CLIENT_ID",
        "RefreshTokenStorage__tableServiceUri",
        "RefreshTokenStorage__clientId",
        "RefreshTokenTable",
        "RevocationTable",
        "Logout__AllowGlobal",
        "Jwt__PublicKeys",
        "Jwt__Authority",
        "Jwt__JwksUri",
        "Jwt__KeysRefreshMinutes",
        "Jwt__UnknownKeyRefreshSeconds",
        "Jwt__IssuerKeysMaxAgeHours",
        "Jwt__Algorithms",
        "Jwt__ClockSkewSeconds",
        "Jwt__ExpiredTokenGraceDays",
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
        Assert.Equal("UserAssignedIdentity", (string?)deploymentStorage?["authentication"]?["type"]);
        Assert.Equal("[parameters('identityId')]", (string?)deploymentStorage?["authentication"]?["userAssignedIdentityResourceId"]);
    }

    [Fact]
    public void The_function_app_runs_as_the_user_assigned_identity_HTTPS_only_TLS_1_2_no_FTP_and_CORS_from_a_parameter()
    {
        var app = Assert.Single(compiled.ResourcesOfType("Microsoft.Web/sites"));
        Assert.Equal("UserAssigned", (string?)app["identity"]?["type"]);
        var identities = app["identity"]?["userAssignedIdentities"]?.AsObject();
        Assert.NotNull(identities);
        Assert.Contains("parameters('identityId')", Assert.Single(identities).Key, StringComparison.Ordinal);
        Assert.Equal("[parameters('identityId')]", (string?)app["properties"]?["keyVaultReferenceIdentity"]);
        Assert.Contains("'identity'", ModuleParameter("function-app", "identityId"), StringComparison.Ordinal);
        Assert.Single(compiled.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
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
        Assert.Contains("revocationTableName", ModuleParameter("data-storage", "tableNames"), StringComparison.Ordinal);
        Assert.Equal("RefreshTokens", (string?)compiled.RequireTemplate()["parameters"]?["refreshTokenTableName"]?["defaultValue"]);
        Assert.Equal("RefreshTokenRevocations", (string?)compiled.RequireTemplate()["parameters"]?["revocationTableName"]?["defaultValue"]);
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
        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        foreach (var clientIdSetting in new[] { "AzureWebJobsStorage__clientId", "RefreshTokenStorage__clientId", "AZURE_CLIENT_ID" })
        {
            AssertIsTheIdentitysClientId((string?)settings[clientIdSetting]);
        }

        // The host's telemetry is sent with the identity (the format the Flex Consumption azd template uses).
        var authentication = (string?)settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];
        Assert.StartsWith("[format('ClientId={0};Authorization=AAD', ", authentication, StringComparison.Ordinal);
        AssertIsTheIdentitysClientId(authentication);
        Assert.Equal("[parameters('jwtPublicKeys')]", (string?)settings["Jwt__PublicKeys"]);
        Assert.Equal("[parameters('jwtAuthority')]", (string?)settings["Jwt__Authority"]);
        Assert.Equal("[parameters('jwtJwksUri')]", (string?)settings["Jwt__JwksUri"]);
        // An issuer's keys without an audience fail the deployment, as they would fail the worker.
        Assert.Contains("fail('jwtAudience is required with jwtAuthority or jwtJwksUri", (string?)settings["Jwt__Audience"], StringComparison.Ordinal);
        Assert.EndsWith("parameters('jwtAudience'))]", (string?)settings["Jwt__Audience"], StringComparison.Ordinal);
        Assert.Equal("[string(parameters('requestBodySizeLimitBytes'))]", (string?)settings["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"]);
        // Above the function's own 64 KiB (so row 5 still answers 413) and far below the host's 100 MB.
        Assert.Equal(131072, (int?)compiled.RequireTemplate()["parameters"]?["requestBodySizeLimitBytes"]?["defaultValue"]);

        var text = compiled.RequireTemplate().ToJsonString();
        Assert.DoesNotContain("listKeys", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("data-storage-access", "refreshTokenTableName", new[] { "entities/delete" })]
    [InlineData("revocation-marker-access", "revocationTableName", new[] { "entities/read", "entities/add/action", "entities/update/action" })]
    public void The_identity_may_only_do_what_a_logout_needs_on_each_table(string module, string tableParameter, string[] entityActions)
    {
        // The role's data actions are exactly these, on one table: on the refresh-token table a
        // delete, nothing that reads or writes a token; on the markers, no delete.
        Assert.Equal(
            entityActions.Select(action => "Microsoft.Storage/storageAccounts/tableServices/tables/" + action),
            compiled.Module(module)["properties"]?["parameters"]?["dataActions"]?["value"]?.AsArray().Select(action => (string?)action) ?? []);
        var role = Assert.Single(compiled.ResourcesOfModule(module, "Microsoft.Authorization/roleDefinitions"));
        var permissions = Assert.Single(role["properties"]?["permissions"]?.AsArray() ?? []);
        Assert.Empty(permissions?["actions"]?.AsArray() ?? []);
        Assert.Equal("[parameters('dataActions')]", (string?)permissions?["dataActions"]);
        Assert.Equal("CustomRole", (string?)role["properties"]?["type"]);
        Assert.Equal("[resourceGroup().id]", (string?)Assert.Single(role["properties"]?["assignableScopes"]?.AsArray() ?? []));

        // Assigned on the table itself, not on the account.
        var assignment = Assert.Single(compiled.ResourcesOfModule(module, "Microsoft.Authorization/roleAssignments"));
        Assert.Equal(
            "[resourceId('Microsoft.Storage/storageAccounts/tableServices/tables', parameters('storageAccountName'), 'default', parameters('tableName'))]",
            (string?)assignment["scope"]);
        Assert.Equal("[variables('roleId')]", (string?)assignment["properties"]?["roleDefinitionId"]);
        Assert.Contains("'data-storage'", ModuleParameter(module, "storageAccountName"), StringComparison.Ordinal);
        Assert.Equal($"[parameters('{tableParameter}')]", ModuleParameter(module, "tableName"));
    }

    [Fact]
    public void Global_logout_is_off_unless_the_deployment_turns_it_on()
    {
        Assert.False((bool?)compiled.RequireTemplate()["parameters"]?["allowGlobalLogout"]?["defaultValue"]);
        var settings = compiled.Module("function-app")["properties"]?["parameters"]?["appSettings"]?["value"];
        Assert.Equal("[string(parameters('allowGlobalLogout'))]", (string?)settings?["Logout__AllowGlobal"]);
        Assert.Equal("[parameters('revocationTableName')]", (string?)settings?["RevocationTable"]);
    }

    [Fact]
    public void The_host_keeps_blob_owner_and_table_contributor_on_its_own_account_and_telemetry_its_publisher_role()
    {
        Assert.Equal(StorageBlobDataOwner, RoleOf("host-storage-access"));
        Assert.Contains("'host-storage'", ModuleParameter("host-storage-access", "storageAccountName"), StringComparison.Ordinal);

        // The host's diagnostic events live in tables of AzureWebJobsStorage.
        Assert.Equal(StorageTableDataContributor, RoleOf("host-storage-table-access"));
        Assert.Contains("'host-storage'", ModuleParameter("host-storage-table-access", "storageAccountName"), StringComparison.Ordinal);

        Assert.Equal(MonitoringMetricsPublisher, RoleOf("monitoring-access"));
        Assert.Contains("'monitoring'", ModuleParameter("monitoring-access", "applicationInsightsName"), StringComparison.Ordinal);

        foreach (var module in RoleAssignmentModules)
        {
            var principal = ModuleParameter(module, "principalId");
            Assert.Contains("'identity'", principal, StringComparison.Ordinal);
            Assert.Contains("principalId", principal, StringComparison.Ordinal);
        }

        var assignments = compiled.ResourcesOfType("Microsoft.Authorization/roleAssignments").ToList();
        Assert.Equal(RoleAssignmentModules.Length, assignments.Count);
        Assert.All(assignments, assignment => Assert.Equal("ServicePrincipal", (string?)assignment["properties"]?["principalType"]));
    }

    [Fact]
    public void Every_role_assignment_and_the_identity_are_deployed_before_the_function_app()
    {
        var dependsOn = compiled.Module("function-app")["dependsOn"]?.AsArray().Select(node => (string?)node ?? "").ToList();
        Assert.NotNull(dependsOn);

        foreach (var module in RoleAssignmentModules.Append("identity"))
        {
            Assert.Contains(dependsOn, dependency => dependency.Contains("'Microsoft.Resources/deployments'", StringComparison.Ordinal)
                && dependency.EndsWith($"'{module}')]", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Alerts_on_5xx_rate_503_rate_and_worker_restarts_notify_an_action_group_of_the_given_addresses()
    {
        // No addresses, no alerts: the module is deployed only when alertEmailAddresses lists one.
        Assert.Equal("", (string?)compiled.RequireTemplate()["parameters"]?["alertEmailAddresses"]?["defaultValue"]);
        Assert.Equal("[not(empty(variables('alertEmails')))]", compiled.ModuleCondition("alerts"));
        Assert.Contains("alertEmailAddresses", (string?)compiled.RequireTemplate()["variables"]?["alertEmails"], StringComparison.Ordinal);
        Assert.Equal("[variables('alertEmails')]", ModuleParameter("alerts", "emailAddresses"));
        Assert.Contains("applicationInsightsId", ModuleParameter("alerts", "applicationInsightsId"), StringComparison.Ordinal);

        var actionGroup = Assert.Single(compiled.ResourcesOfModule("alerts", "Microsoft.Insights/actionGroups"));
        // One e-mail receiver per address (a property loop compiles to a copy block).
        var receivers = Assert.Single(actionGroup["properties"]?["copy"]?.AsArray() ?? []);
        Assert.Equal("emailReceivers", (string?)receivers?["name"]);
        Assert.Equal("[length(parameters('emailAddresses'))]", (string?)receivers?["count"]);
        Assert.Equal("[parameters('emailAddresses')[copyIndex('emailReceivers')]]", (string?)receivers?["input"]?["emailAddress"]);

        var rules = compiled.ResourcesOfModule("alerts", "Microsoft.Insights/scheduledQueryRules").ToList();
        var rule = Assert.Single(rules);
        // One rule per entry of the module's rules variable.
        var definitions = compiled.Module("alerts")["properties"]?["template"]?["variables"]?["rules"]?.AsArray();
        Assert.NotNull(definitions);
        Assert.Equal(3, definitions.Count);
        var queries = definitions.Select(definition => (string?)definition?["query"] ?? "").ToList();
        Assert.Contains(queries, query => query.Contains("'requests\n", StringComparison.Ordinal) && query.Contains("toint(resultCode) >= 500", StringComparison.Ordinal));
        Assert.Contains(queries, query => query.Contains("'requests\n", StringComparison.Ordinal) && query.Contains("resultCode == \"503\"", StringComparison.Ordinal));
        Assert.Contains(queries, query => query.Contains("'traces\n", StringComparison.Ordinal) && query.Contains("variables('workerExitMessage')", StringComparison.Ordinal));
        Assert.Equal("Language Worker Process exited. Pid=", (string?)compiled.Module("alerts")["properties"]?["template"]?["variables"]?["workerExitMessage"]);

        var properties = rule["properties"];
        Assert.Equal("[length(variables('rules'))]", (string?)rule["copy"]?["count"]);
        Assert.Equal("[parameters('applicationInsightsId')]", (string?)properties?["scopes"]?[0]);
        Assert.Contains("Microsoft.Insights/actionGroups", (string?)properties?["actions"]?["actionGroups"]?[0], StringComparison.Ordinal);
        Assert.True((bool?)properties?["enabled"]);
    }

    [Fact]
    public void Scale_settings_are_parameters_with_defaults_consistent_with_host_json()
    {
        var parameters = compiled.RequireTemplate()["parameters"]!;
        var hostJson = JsonNode.Parse(RepositoryPaths.Read("host.json"));
        var maxConcurrentRequests = (int?)hostJson?["extensions"]?["http"]?["maxConcurrentRequests"];
        Assert.NotNull(maxConcurrentRequests);

        // The platform sends an instance as many requests as host.json lets it run at once.
        Assert.Equal(maxConcurrentRequests, (int?)parameters["httpPerInstanceConcurrency"]?["defaultValue"]);
        Assert.Equal(0, (int?)parameters["alwaysReadyInstanceCount"]?["defaultValue"]);
        Assert.Equal(40, (int?)parameters["maximumInstanceCount"]?["defaultValue"]);
        Assert.Equal("[parameters('httpPerInstanceConcurrency')]", ModuleParameter("function-app", "httpPerInstanceConcurrency"));
        Assert.Equal("[parameters('alwaysReadyInstanceCount')]", ModuleParameter("function-app", "alwaysReadyInstanceCount"));
        Assert.Equal("[parameters('maximumInstanceCount')]", ModuleParameter("function-app", "maximumInstanceCount"));

        var app = Assert.Single(compiled.ResourcesOfType("Microsoft.Web/sites"));
        var scale = app["properties"]?["functionAppConfig"]?["scaleAndConcurrency"];
        Assert.Equal("[parameters('httpPerInstanceConcurrency')]", (string?)scale?["triggers"]?["http"]?["perInstanceConcurrency"]);
        Assert.Equal("[parameters('maximumInstanceCount')]", (string?)scale?["maximumInstanceCount"]);
        var alwaysReady = (string?)scale?["alwaysReady"];
        Assert.Contains("parameters('alwaysReadyInstanceCount')", alwaysReady, StringComparison.Ordinal);
        Assert.Contains("createObject('name', 'http'", alwaysReady, StringComparison.Ordinal);
    }

    [Fact]
    public void The_data_account_is_public_by_default_and_private_endpoint_resources_are_conditional()
    {
        var parameters = compiled.RequireTemplate()["parameters"]!;
        Assert.False((bool?)parameters["privateDataStorage"]?["defaultValue"]);
        Assert.Equal("[not(parameters('privateDataStorage'))]", ModuleParameter("data-storage", "publicNetworkAccess"));
        Assert.Equal("[parameters('privateDataStorage')]", compiled.ModuleCondition("network"));
        Assert.Equal("[parameters('privateDataStorage')]", compiled.ModuleCondition("data-storage-private-endpoint"));
        Assert.Null(compiled.ModuleCondition("data-storage"));
        Assert.Contains("'data-storage'", ModuleParameter("data-storage-private-endpoint", "storageAccountName"), StringComparison.Ordinal);
        // Bicep compiles the conditional parameter to one expression: the app subnet, or none.
        var subnet = (string?)compiled.Module("function-app")["properties"]?["parameters"]?["virtualNetworkSubnetId"];
        Assert.StartsWith("[if(parameters('privateDataStorage'), ", subnet, StringComparison.Ordinal);
        Assert.Contains(".outputs.appSubnetId.value", subnet, StringComparison.Ordinal);

        var account = compiled.ResourcesOfModule("data-storage", "Microsoft.Storage/storageAccounts").Single();
        Assert.Equal("[if(parameters('publicNetworkAccess'), 'Enabled', 'Disabled')]", (string?)account["properties"]?["publicNetworkAccess"]);

        var endpoint = Assert.Single(compiled.ResourcesOfModule("data-storage-private-endpoint", "Microsoft.Network/privateEndpoints"));
        Assert.Equal("table", (string?)endpoint["properties"]?["privateLinkServiceConnections"]?[0]?["properties"]?["groupIds"]?[0]);
        var zone = Assert.Single(compiled.ResourcesOfModule("data-storage-private-endpoint", "Microsoft.Network/privateDnsZones"));
        Assert.Contains("privatelink.table.", (string?)zone["name"], StringComparison.Ordinal);
        Assert.Single(compiled.ResourcesOfModule("data-storage-private-endpoint", "Microsoft.Network/privateDnsZones/virtualNetworkLinks"));
        Assert.Single(compiled.ResourcesOfModule("data-storage-private-endpoint", "Microsoft.Network/privateEndpoints/privateDnsZoneGroups"));

        var network = Assert.Single(compiled.ResourcesOfModule("network", "Microsoft.Network/virtualNetworks"));
        Assert.Contains("Microsoft.App/environments", network["properties"]?["subnets"]?.ToJsonString(), StringComparison.Ordinal);
        var app = Assert.Single(compiled.ResourcesOfType("Microsoft.Web/sites"));
        Assert.Contains("parameters('virtualNetworkSubnetId')", (string?)app["properties"]?["virtualNetworkSubnetId"], StringComparison.Ordinal);
    }

    [Fact]
    public void API_Management_is_optional_verifies_tokens_with_the_apps_keys_and_limits_verified_subjects_and_addresses()
    {
        Assert.False((bool?)compiled.RequireTemplate()["parameters"]?["apiManagementEnabled"]?["defaultValue"]);
        Assert.Equal("[parameters('apiManagementEnabled')]", compiled.ModuleCondition("api-management"));
        Assert.Equal("[parameters('jwtUserIdClaim')]", ModuleParameter("api-management", "userIdClaim"));
        foreach (var (parameter, setting) in new[] { ("jwtAuthority", "jwtAuthority"), ("jwtJwksUri", "jwtJwksUri"), ("jwtPublicKeys", "jwtPublicKeys"), ("jwtIssuer", "jwtIssuer"), ("jwtAudience", "jwtAudience") })
        {
            Assert.Equal($"[parameters('{setting}')]", ModuleParameter("api-management", parameter));
        }

        // The gateway lets through what the function may accept: its skew plus the expired-token grace.
        Assert.Equal("[add(parameters('jwtClockSkewSeconds'), mul(parameters('jwtExpiredTokenGraceDays'), 86400))]", ModuleParameter("api-management", "clockSkewSeconds"));
        Assert.Equal(100, (int?)compiled.RequireTemplate()["parameters"]?["apiManagementAddressRateLimitCalls"]?["defaultValue"]);

        var policy = Assert.Single(compiled.ResourcesOfModule("api-management", "Microsoft.ApiManagement/service/apis/operations/policies"));
        Assert.Equal("rawxml", (string?)policy["properties"]?["format"]);
        Assert.Contains("variables('policy')", (string?)policy["properties"]?["value"] ?? "", StringComparison.Ordinal);

        // The policy file, and the key configuration the module fills into it.
        var policyFile = RepositoryPaths.Read("infra", "modules", "api-management-policy.xml");
        Assert.Contains("<validate-jwt ", policyFile, StringComparison.Ordinal);
        Assert.Contains("output-token-variable-name=\"verifiedToken\"", policyFile, StringComparison.Ordinal);
        Assert.Contains("clock-skew=\"__CLOCK_SKEW__\"", policyFile, StringComparison.Ordinal);
        Assert.Contains("__KEYS____AUDIENCES____ISSUERS__", policyFile, StringComparison.Ordinal);
        Assert.DoesNotContain("AsJwt", policyFile, StringComparison.Ordinal);
        // Per verified subject, inside the branch that verified it; per address for everything.
        Assert.Contains("((Jwt)context.Variables[\"verifiedToken\"]).Claims.GetValueOrDefault(\"__USER_ID_CLAIM__\", \"\")", policyFile, StringComparison.Ordinal);
        Assert.Contains("calls=\"__ADDRESS_CALLS__\" renewal-period=\"__RENEWAL_PERIOD__\" counter-key=\"@(\"address:\" + context.Request.IpAddress)\"", policyFile, StringComparison.Ordinal);
        Assert.True(
            policyFile.IndexOf("__ADDRESS_CALLS__", StringComparison.Ordinal) < policyFile.IndexOf("<validate-jwt", StringComparison.Ordinal)
            && policyFile.IndexOf("<validate-jwt", StringComparison.Ordinal) < policyFile.IndexOf("calls=\"__CALLS__\"", StringComparison.Ordinal),
            "The address limit must come before verification, the subject limit after it.");
        // A token the gateway refuses gets the contract's 401.
        Assert.Contains($"<set-body>{Encoding.UTF8.GetString(LogoutOutcome.TokenInvalid.Row().Body)}</set-body>", policyFile, StringComparison.Ordinal);
        Assert.Contains("<value>no-store</value>", policyFile, StringComparison.Ordinal);

        var variables = compiled.Module("api-management")["properties"]?["template"]?["variables"]?.AsObject();
        Assert.NotNull(variables);
        Assert.Contains("/.well-known/openid-configuration", (string?)variables["openIdConfiguration"], StringComparison.Ordinal);
        Assert.Contains("<issuer-signing-keys>", (string?)variables["keysXml"], StringComparison.Ordinal);
        Assert.Contains("needs jwtPublicKeys as a JWKS document of RSA keys, not PEM", (string?)variables["jwks"], StringComparison.Ordinal);
        Assert.Contains("cannot resolve a Key Vault reference in jwtPublicKeys", (string?)variables["jwks"], StringComparison.Ordinal);
        Assert.Contains("API Management cannot read a bare JWKS URL", (string?)variables["keysXml"], StringComparison.Ordinal);
        foreach (var placeholder in new[] { "__ADDRESS_CALLS__", "__CALLS__", "__RENEWAL_PERIOD__", "__CLOCK_SKEW__", "__USER_ID_CLAIM__", "__KEYS__", "__AUDIENCES__", "__ISSUERS__" })
        {
            Assert.True(variables["placeholders"]?[placeholder] is not null, $"{placeholder} is not filled in.");
        }

        var api = Assert.Single(compiled.ResourcesOfModule("api-management", "Microsoft.ApiManagement/service/apis"));
        Assert.False((bool?)api["properties"]?["subscriptionRequired"]);
    }

    [Fact]
    public void The_site_speaks_HTTP_1_1_only_so_that_a_body_always_comes_with_its_length_or_a_transfer_encoding()
    {
        var app = Assert.Single(compiled.ResourcesOfType("Microsoft.Web/sites"));
        Assert.False((bool?)app["properties"]?["siteConfig"]?["http20Enabled"]);
        Assert.Null(app["properties"]?["siteConfig"]?["http20ProxyFlag"]);
    }

    [Fact]
    public void Log_Analytics_ingestion_has_a_daily_cap_from_a_parameter()
    {
        var workspace = Assert.Single(compiled.ResourcesOfType("Microsoft.OperationalInsights/workspaces"));
        Assert.Equal("[parameters('dailyCapGb')]", (string?)workspace["properties"]?["workspaceCapping"]?["dailyQuotaGb"]);
        Assert.Equal("[parameters('logDailyCapGb')]", ModuleParameter("monitoring", "dailyCapGb"));
        Assert.Equal(1, (int?)compiled.RequireTemplate()["parameters"]?["logDailyCapGb"]?["defaultValue"]);
    }

    [Fact]
    public void The_infra_README_shows_the_abuse_budget_with_the_template_defaults()
    {
        var parameters = compiled.RequireTemplate()["parameters"]!;
        var instances = (int?)parameters["maximumInstanceCount"]?["defaultValue"];
        var concurrency = (int?)parameters["httpPerInstanceConcurrency"]?["defaultValue"];
        var readme = RepositoryPaths.Read("infra", "README.md");

        Assert.Contains("## Abuse budget", readme, StringComparison.Ordinal);
        Assert.Contains($"{instances} × {concurrency}", readme, StringComparison.Ordinal);
        Assert.Contains("20,000", readme, StringComparison.Ordinal);
        Assert.Contains("functions-quickstart-dotnet-azd", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Application_Insights_is_workspace_based_and_connected_to_the_app()
    {
        var workspace = Assert.Single(compiled.ResourcesOfType("Microsoft.OperationalInsights/workspaces"));
        Assert.NotNull(workspace);
        var insights = Assert.Single(compiled.ResourcesOfType("Microsoft.Insights/components"));
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string?)insights["properties"]?["WorkspaceResourceId"], StringComparison.Ordinal);
        // No instrumentation-key ingestion: only Entra ID-authenticated telemetry is accepted.
        var disableLocalAuth = insights["properties"]!.AsObject()
            .SingleOrDefault(pair => string.Equals(pair.Key, "disableLocalAuth", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.True((bool?)disableLocalAuth, "Application Insights must have local authentication disabled.");

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

    private static void AssertIsTheIdentitysClientId(string? value)
    {
        Assert.Contains("'Microsoft.Resources/deployments', 'identity')", value, StringComparison.Ordinal);
        Assert.Contains(".outputs.clientId.value", value, StringComparison.Ordinal);
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
