
namespace Delivery.Tests;

/// <summary>
/// azure-pipelines.yml cannot run here (no Azure DevOps agent), so its definition is parsed and
/// checked: stages and their order, triggers, that the build stage runs the README's test command,
/// publishes the app once and runs the end-to-end suite against that very zip under a pinned
/// `func start` (ready when POST /api/logout answers the contract's 401), Bicep checks, and a
/// deployment that only main can reach, that deploys the tested artifact without rebuilding it and
/// ends with a smoke test. Each check is also shown to fail on a pipeline that breaks it.
/// </summary>
public sealed class PipelineDefinitionTests
{
    private static readonly string PipelineYaml = RepositoryPaths.Read("azure-pipelines.yml");
    private static readonly string Readme = RepositoryPaths.Read("README.md");
    private static readonly PipelineDefinition Pipeline = PipelineDefinition.Parse(PipelineYaml);

    public static TheoryData<string> Checks => new(PipelineChecks.All);

    [Theory]
    [MemberData(nameof(Checks))]
    public void The_pipeline_passes_every_check(string check) =>
        Assert.Null(PipelineChecks.Run(check, Pipeline, Readme));

    [Fact]
    public void Stages_are_build_and_test_infrastructure_deploy_in_that_order() =>
        Assert.Null(PipelineChecks.StagesInOrder(Pipeline));

    [Fact]
    public void The_README_test_command_is_a_script_of_the_repository()
    {
        Assert.Contains(PipelineChecks.ReadmeTestCommand, PipelineChecks.ReadmeCommands(Readme));
        Assert.True(
            File.Exists(RepositoryPaths.Combine(PipelineChecks.ReadmeTestCommand.TrimStart('.', '/'))),
            $"The README's test command {PipelineChecks.ReadmeTestCommand} names no file of the repository.");
    }

    [Fact]
    public void The_app_artifact_is_the_zip_of_the_one_publish_folder()
    {
        var (app, problem) = PipelineChecks.FindAppArtifact(Pipeline);

        Assert.True(app is not null, problem);
        Assert.Equal("$(Build.ArtifactStagingDirectory)/publish", app.PublishDir);
        Assert.Equal("$(Build.ArtifactStagingDirectory)/app/LogoutFunction.zip", app.ZipFile);
        Assert.Equal("app", app.ArtifactName);
    }

    [Fact]
    public void The_smoke_test_the_pipeline_runs_posts_to_api_logout_and_compares_the_exact_401()
    {
        // What it does is shown by SmokeTestScriptTests; this keeps its contract literal in sight.
        var script = RepositoryPaths.Read("tools", PipelineChecks.SmokeTest);

        Assert.Contains("--request POST", script, StringComparison.Ordinal);
        Assert.Contains("$base_url/api/logout", script, StringComparison.Ordinal);
        Assert.Contains("readonly expected_body='{\"code\":401,\"message\":\"JWT Token not found\"}'", script, StringComparison.Ordinal);
        Assert.Contains("check \"no token\" 'Bearer'", script, StringComparison.Ordinal);
        Assert.DoesNotContain("set -x", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_variables_are_declared_with_a_value()
    {
        foreach (var name in new[] { "AzureServiceConnection", "ResourceGroupName", "FunctionAppName", "DeployEnvironment", "CoreToolsVersion" })
        {
            Assert.True(Pipeline.Variables.TryGetValue(name, out var value) && value.Length > 0, $"Variable {name} must be declared with a value.");
        }
    }

    [Theory]
    [InlineData(nameof(PipelineChecks.StagesInOrder), "  - stage: Infrastructure\n", "  - stage: Bicep\n")]
    [InlineData(nameof(PipelineChecks.StagesInOrder), "  - stage: Deploy\n", "  - stage: Release\n")]
    [InlineData(nameof(PipelineChecks.TriggersOnMainAndPullRequests), "pr:\n  branches:\n    include:\n      - main\n", "pr: none\n")]
    [InlineData(nameof(PipelineChecks.TriggersOnMainAndPullRequests), "trigger:\n  branches:\n    include:\n      - main\n", "trigger: none\n")]
    [InlineData(nameof(PipelineChecks.BuildStageRunsReadmeTestCommand), "              ./test.sh\n", "              dotnet test LogoutFunction.sln\n")]
    [InlineData(nameof(PipelineChecks.BuildStageRunsReadmeTestCommand), "condition: succeededOrFailed()\n            inputs:\n              testResultsFormat", "condition: succeeded()\n            inputs:\n              testResultsFormat")]
    // Publish once, zip that folder, keep it only if everything passed.
    [InlineData(nameof(PipelineChecks.BuildStagePublishesOnceAndKeepsThatZipAsTheArtifact), "unzip -q \"$(ArtifactDir)/LogoutFunction.zip\" -d \"$(RunDir)\"", "dotnet publish LogoutFunction/LogoutFunction.csproj --configuration Release --output \"$(RunDir)\"")]
    [InlineData(nameof(PipelineChecks.BuildStagePublishesOnceAndKeepsThatZipAsTheArtifact), "--configuration $(BuildConfiguration) --output \"$(PublishDir)\"", "--configuration Debug --output \"$(PublishDir)\"")]
    [InlineData(nameof(PipelineChecks.BuildStagePublishesOnceAndKeepsThatZipAsTheArtifact), "rootFolderOrFile: $(PublishDir)", "rootFolderOrFile: LogoutFunction/bin/Release/net10.0")]
    [InlineData(nameof(PipelineChecks.BuildStagePublishesOnceAndKeepsThatZipAsTheArtifact), "smoke test)\n            artifact: app\n", "smoke test)\n            artifact: app\n            condition: always()\n")]
    [InlineData(nameof(PipelineChecks.BuildStagePublishesOnceAndKeepsThatZipAsTheArtifact), "              rm -rf \"$(RunDir)\"\n", "              dotnet build LogoutFunction/LogoutFunction.csproj -c Release\n")]
    // The end-to-end run is the zip under func start, the tests not rebuilt.
    [InlineData(nameof(PipelineChecks.EndToEndRunsSuiteAgainstTheZipUnderFuncStart), "LOGOUT_BASE_URL=http://127.0.0.1:7071 ", "")]
    [InlineData(nameof(PipelineChecks.EndToEndRunsSuiteAgainstTheZipUnderFuncStart), "exec func start --no-build", "exec dotnet LogoutFunction.dll")]
    [InlineData(nameof(PipelineChecks.EndToEndRunsSuiteAgainstTheZipUnderFuncStart), "exec func start --no-build", "exec func start")]
    [InlineData(nameof(PipelineChecks.EndToEndRunsSuiteAgainstTheZipUnderFuncStart), "(cd \"$(RunDir)\" &&", "(cd LogoutFunction/bin/Release/net10.0 &&")]
    [InlineData(nameof(PipelineChecks.EndToEndRunsSuiteAgainstTheZipUnderFuncStart), "unzip -q \"$(ArtifactDir)/LogoutFunction.zip\"", "unzip -q \"$(Build.ArtifactStagingDirectory)/other.zip\"")]
    [InlineData(nameof(PipelineChecks.EndToEndRunsSuiteAgainstTheZipUnderFuncStart), "RunDir: $(Agent.TempDirectory)/app-under-test", "RunDir: $(Build.ArtifactStagingDirectory)/app/run")]
    [InlineData(nameof(PipelineChecks.EndToEndRunsSuiteAgainstTheZipUnderFuncStart), "--configuration $(BuildConfiguration) --no-build \\\n", "--configuration $(BuildConfiguration) \\\n")]
    // Core Tools: an exact version.
    [InlineData(nameof(PipelineChecks.CoreToolsPinnedToAnExactVersion), "CoreToolsVersion: 4.13.2", "CoreToolsVersion: 4")]
    [InlineData(nameof(PipelineChecks.CoreToolsPinnedToAnExactVersion), "CoreToolsVersion: 4.13.2", "CoreToolsVersion: ^4.13.2")]
    [InlineData(nameof(PipelineChecks.CoreToolsPinnedToAnExactVersion), "CoreToolsVersion: 4.13.2", "CoreToolsVersion: latest")]
    [InlineData(nameof(PipelineChecks.CoreToolsPinnedToAnExactVersion), "\"azure-functions-core-tools@$(CoreToolsVersion)\"", "azure-functions-core-tools")]
    [InlineData(nameof(PipelineChecks.CoreToolsPinnedToAnExactVersion), "\"azure-functions-core-tools@$(CoreToolsVersion)\"", "azure-functions-core-tools@4.x")]
    // Ready means POST /api/logout gave the 401, not that a port answered.
    [InlineData(nameof(PipelineChecks.ReadinessIsAPostToLogoutExpectingThe401), "bash tools/smoke-test.sh http://127.0.0.1:7071 --attempts 90 --interval 2 --max-time 5 --pid \"$func_pid\" --invalid-token", "curl --silent --output /dev/null --retry 90 --retry-connrefused http://127.0.0.1:7071/")]
    [InlineData(nameof(PipelineChecks.ReadinessIsAPostToLogoutExpectingThe401), "bash tools/smoke-test.sh http://127.0.0.1:7071 --attempts 90 --interval 2 --max-time 5 --pid \"$func_pid\" --invalid-token", "sleep 60")]
    [InlineData(nameof(PipelineChecks.ReadinessIsAPostToLogoutExpectingThe401), " --pid \"$func_pid\" --invalid-token; then", " --invalid-token; then")]
    [InlineData(nameof(PipelineChecks.ReadinessIsAPostToLogoutExpectingThe401), "              if ! bash tools/smoke-test.sh", "              curl --silent http://127.0.0.1:7071/ || true\n              if ! bash tools/smoke-test.sh")]
    [InlineData(nameof(PipelineChecks.InfrastructureBuildsAndLintsBicep), "az bicep lint", "echo lint")]
    [InlineData(nameof(PipelineChecks.DeployOnlyFromMainWithApproval), "ne(variables['Build.Reason'], 'PullRequest')", "true")]
    [InlineData(nameof(PipelineChecks.DeployOnlyFromMainWithApproval), "- deployment: DeployFunctionApp", "- job: DeployFunctionApp")]
    [InlineData(nameof(PipelineChecks.DeployOnlyFromMainWithApproval), "    dependsOn:\n      - BuildAndTest\n      - Infrastructure\n", "    dependsOn:\n      - Infrastructure\n")]
    [InlineData(nameof(PipelineChecks.DeployUsesAzureFunctionAppWithVariables), "isFlexConsumption: true", "isFlexConsumption: false")]
    [InlineData(nameof(PipelineChecks.DeployUsesAzureFunctionAppWithVariables), "appName: $(FunctionAppName)", "appName: func-logout-prod")]
    [InlineData(nameof(PipelineChecks.DeployUsesAzureFunctionAppWithVariables), "connectedServiceNameARM: $(AzureServiceConnection)", "connectedServiceNameARM: my-connection")]
    [InlineData(nameof(PipelineChecks.DeployUsesAzureFunctionAppWithVariables), "package: $(Pipeline.Workspace)/app/LogoutFunction.zip", "package: $(Pipeline.Workspace)/**/*.zip")]
    // The Deploy stage deploys the downloaded artifact and builds nothing.
    [InlineData(nameof(PipelineChecks.DeployDoesNotRebuild), "                - download: current\n                  artifact: app\n", "                - checkout: self\n                - script: dotnet publish LogoutFunction/LogoutFunction.csproj --configuration Release --output $(Pipeline.Workspace)/app\n")]
    [InlineData(nameof(PipelineChecks.DeployDoesNotRebuild), "                    sha256sum --check LogoutFunction.zip.sha256\n", "                    dotnet build LogoutFunction/LogoutFunction.csproj -c Release\n")]
    [InlineData(nameof(PipelineChecks.DeployDoesNotRebuild), "                    sha256sum --check LogoutFunction.zip.sha256\n", "                    sha256sum LogoutFunction.zip\n")]
    [InlineData(nameof(PipelineChecks.DeployDoesNotRebuild), "                - download: current\n                  artifact: app\n", "                - checkout: self\n")]
    [InlineData(nameof(PipelineChecks.DeployDoesNotRebuild), "                - download: current\n                  artifact: app\n", "                - download: current\n                  artifact: app\n                - task: DotNetCoreCLI@2\n                  inputs:\n                    command: publish\n")]
    // ... and ends with the smoke test of the deployed app, which fails the stage.
    [InlineData(nameof(PipelineChecks.DeployEndsWithSmokeTest), "                - script: bash \"$(Pipeline.Workspace)/app/smoke-test.sh\"", "                - script: echo deployed; bash \"$(Pipeline.Workspace)/app/smoke-test.sh\"")]
    [InlineData(nameof(PipelineChecks.DeployEndsWithSmokeTest), "--max-time 15 --invalid-token\n", "--max-time 15 --invalid-token || true\n")]
    [InlineData(nameof(PipelineChecks.DeployEndsWithSmokeTest), "                  displayName: Smoke test of the deployed app (POST /api/logout, 401)\n", "                  displayName: Smoke test of the deployed app (POST /api/logout, 401)\n                  continueOnError: true\n")]
    [InlineData(nameof(PipelineChecks.DeployEndsWithSmokeTest), "variable=LogoutBaseUrl]https://$host", "variable=LogoutBaseUrl]http://$host")]
    [InlineData(nameof(PipelineChecks.DeployEndsWithSmokeTest), "              cp \"$(System.DefaultWorkingDirectory)/tools/smoke-test.sh\" smoke-test.sh\n", "")]
    public void A_check_fails_on_a_pipeline_that_breaks_it(string check, string original, string replacement)
    {
        Assert.Contains(original, PipelineYaml, StringComparison.Ordinal);
        var broken = PipelineDefinition.Parse(PipelineYaml.Replace(original, replacement, StringComparison.Ordinal));

        Assert.NotNull(PipelineChecks.Run(check, broken, Readme));
    }

    [Fact]
    public void A_smoke_test_that_is_not_the_last_deploy_step_fails()
    {
        var original = "                  displayName: Smoke test of the deployed app (POST /api/logout, 401)\n";
        Assert.Contains(original, PipelineYaml, StringComparison.Ordinal);
        var broken = PipelineDefinition.Parse(PipelineYaml.Replace(original, original + "                - script: echo done\n", StringComparison.Ordinal));

        Assert.NotNull(PipelineChecks.DeployEndsWithSmokeTest(broken));
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void A_check_fails_when_the_README_has_no_test_command_or_the_stage_is_missing(string check)
    {
        var withoutStages = PipelineDefinition.Parse("trigger: none\nstages: []\n");

        Assert.NotNull(PipelineChecks.Run(check, withoutStages, "# No quick start\n"));
    }
}
