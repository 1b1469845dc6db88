using LogoutFunction.Tests.Support;

namespace LogoutFunction.Tests.Delivery;

/// <summary>
/// azure-pipelines.yml cannot run here (no Azure DevOps agent), so its definition is parsed and
/// checked: stages and their order, triggers, that the build stage runs the README's test command,
/// the end-to-end stage against `func start`, Bicep checks, the zip artifact, and a deployment
/// that only main can reach. Each check is also shown to fail on a pipeline that breaks it.
/// </summary>
public sealed class PipelineDefinitionTests
{
    private static readonly string PipelineYaml = RepositoryPaths.Read("azure-pipelines.yml");
    private static readonly string Readme = RepositoryPaths.Read("README.md");
    private static readonly PipelineDefinition Pipeline = PipelineDefinition.Parse(PipelineYaml);

    public static TheoryData<string> Checks => new(PipelineChecks.All);

    [Fact]
    public void Stages_are_build_and_test_end_to_end_infrastructure_publish_deploy_in_that_order() =>
        Assert.Null(PipelineChecks.StagesInOrder(Pipeline));

    [Fact]
    public void Runs_for_pushes_to_main_and_for_pull_requests_into_main() =>
        Assert.Null(PipelineChecks.TriggersOnMainAndPullRequests(Pipeline));

    [Fact]
    public void Build_stage_runs_the_test_command_of_the_README_and_publishes_results_and_coverage() =>
        Assert.Null(PipelineChecks.BuildStageRunsReadmeTestCommand(Pipeline, Readme));

    [Fact]
    public void The_README_test_command_is_a_script_of_the_repository()
    {
        Assert.Contains(PipelineChecks.ReadmeTestCommand, PipelineChecks.ReadmeCommands(Readme));
        Assert.True(
            File.Exists(RepositoryPaths.Combine(PipelineChecks.ReadmeTestCommand.TrimStart('.', '/'))),
            $"The README's test command {PipelineChecks.ReadmeTestCommand} names no file of the repository.");
    }

    [Fact]
    public void End_to_end_stage_runs_the_suite_with_LOGOUT_BASE_URL_against_func_start() =>
        Assert.Null(PipelineChecks.EndToEndRunsSuiteAgainstFuncStart(Pipeline));

    [Fact]
    public void Infrastructure_stage_builds_and_lints_the_bicep() =>
        Assert.Null(PipelineChecks.InfrastructureBuildsAndLintsBicep(Pipeline));

    [Fact]
    public void Publish_stage_publishes_the_app_as_a_zip_artifact() =>
        Assert.Null(PipelineChecks.PublishProducesZipArtifact(Pipeline));

    [Fact]
    public void Deploy_stage_runs_only_for_main_never_for_pull_requests_in_an_environment_with_approval() =>
        Assert.Null(PipelineChecks.DeployOnlyFromMainWithApproval(Pipeline));

    [Fact]
    public void Deploy_uses_AzureFunctionApp_with_the_service_connection_and_app_name_as_variables() =>
        Assert.Null(PipelineChecks.DeployUsesAzureFunctionAppWithVariables(Pipeline));

    [Fact]
    public void Deploy_variables_are_declared_with_a_value()
    {
        foreach (var name in new[] { "AzureServiceConnection", "FunctionAppName", "DeployEnvironment" })
        {
            Assert.True(Pipeline.Variables.TryGetValue(name, out var value) && value.Length > 0, $"Variable {name} must be declared with a value.");
        }
    }

    [Theory]
    [InlineData(nameof(PipelineChecks.StagesInOrder), "- stage: EndToEnd\n", "- stage: EndToEndTests\n")]
    [InlineData(nameof(PipelineChecks.StagesInOrder), "  - stage: Deploy\n", "  - stage: Release\n")]
    [InlineData(nameof(PipelineChecks.TriggersOnMainAndPullRequests), "pr:\n  branches:\n    include:\n      - main\n", "pr: none\n")]
    [InlineData(nameof(PipelineChecks.TriggersOnMainAndPullRequests), "trigger:\n  branches:\n    include:\n      - main\n", "trigger: none\n")]
    [InlineData(nameof(PipelineChecks.BuildStageRunsReadmeTestCommand), "              ./test.sh\n", "              dotnet test LogoutFunction.sln\n")]
    [InlineData(nameof(PipelineChecks.BuildStageRunsReadmeTestCommand), "condition: succeededOrFailed()\n            inputs:\n              testResultsFormat", "condition: succeeded()\n            inputs:\n              testResultsFormat")]
    [InlineData(nameof(PipelineChecks.EndToEndRunsSuiteAgainstFuncStart), "LOGOUT_BASE_URL=http://127.0.0.1:7071 ", "")]
    [InlineData(nameof(PipelineChecks.EndToEndRunsSuiteAgainstFuncStart), "exec func start", "exec dotnet run")]
    [InlineData(nameof(PipelineChecks.EndToEndRunsSuiteAgainstFuncStart), "cd LogoutFunction/bin/Release/net10.0 &&", "cd LogoutFunction &&")]
    [InlineData(nameof(PipelineChecks.InfrastructureBuildsAndLintsBicep), "az bicep lint", "echo lint")]
    [InlineData(nameof(PipelineChecks.PublishProducesZipArtifact), "archiveType: zip", "archiveType: tar")]
    [InlineData(nameof(PipelineChecks.PublishProducesZipArtifact), "dotnet publish LogoutFunction/LogoutFunction.csproj --configuration", "dotnet build LogoutFunction/LogoutFunction.csproj --configuration")]
    [InlineData(nameof(PipelineChecks.DeployOnlyFromMainWithApproval), "ne(variables['Build.Reason'], 'PullRequest')", "true")]
    [InlineData(nameof(PipelineChecks.DeployOnlyFromMainWithApproval), "- deployment: DeployFunctionApp", "- job: DeployFunctionApp")]
    [InlineData(nameof(PipelineChecks.DeployUsesAzureFunctionAppWithVariables), "isFlexConsumption: true", "isFlexConsumption: false")]
    [InlineData(nameof(PipelineChecks.DeployUsesAzureFunctionAppWithVariables), "appName: $(FunctionAppName)", "appName: func-logout-prod")]
    [InlineData(nameof(PipelineChecks.DeployUsesAzureFunctionAppWithVariables), "connectedServiceNameARM: $(AzureServiceConnection)", "connectedServiceNameARM: my-connection")]
    public void A_check_fails_on_a_pipeline_that_breaks_it(string check, string original, string replacement)
    {
        Assert.Contains(original, PipelineYaml, StringComparison.Ordinal);
        var broken = PipelineDefinition.Parse(PipelineYaml.Replace(original, replacement, StringComparison.Ordinal));

        Assert.NotNull(PipelineChecks.Run(check, broken, Readme));
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void A_check_fails_when_the_README_has_no_test_command_or_the_stage_is_missing(string check)
    {
        var withoutStages = PipelineDefinition.Parse("trigger: none\nstages: []\n");

        Assert.NotNull(PipelineChecks.Run(check, withoutStages, "# No quick start\n"));
    }
}
