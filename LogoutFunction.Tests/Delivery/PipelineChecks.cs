using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static LogoutFunction.Tests.Delivery.PipelineDefinition;

namespace LogoutFunction.Tests.Delivery;

/// <summary>
/// What azure-pipelines.yml must do, one check per concern. Each returns null when the pipeline
/// satisfies it and otherwise says what is wrong, so a test can also show that a broken pipeline fails.
/// </summary>
internal static partial class PipelineChecks
{
    public const string ReadmeTestCommand = "./test.sh";
    public const string AppProject = "LogoutFunction/LogoutFunction.csproj";
    public const string LocalBaseUrl = "http://127.0.0.1:7071";

    public static readonly IReadOnlyList<string> ExpectedStages = ["BuildAndTest", "EndToEnd", "Infrastructure", "Publish", "Deploy"];

    public static readonly IReadOnlyList<string> All =
    [
        nameof(StagesInOrder),
        nameof(TriggersOnMainAndPullRequests),
        nameof(BuildStageRunsReadmeTestCommand),
        nameof(EndToEndRunsSuiteAgainstFuncStart),
        nameof(InfrastructureBuildsAndLintsBicep),
        nameof(PublishProducesZipArtifact),
        nameof(DeployOnlyFromMainWithApproval),
        nameof(DeployUsesAzureFunctionAppWithVariables),
    ];

    public static string? Run(string check, PipelineDefinition pipeline, string readme) => check switch
    {
        nameof(StagesInOrder) => StagesInOrder(pipeline),
        nameof(TriggersOnMainAndPullRequests) => TriggersOnMainAndPullRequests(pipeline),
        nameof(BuildStageRunsReadmeTestCommand) => BuildStageRunsReadmeTestCommand(pipeline, readme),
        nameof(EndToEndRunsSuiteAgainstFuncStart) => EndToEndRunsSuiteAgainstFuncStart(pipeline),
        nameof(InfrastructureBuildsAndLintsBicep) => InfrastructureBuildsAndLintsBicep(pipeline),
        nameof(PublishProducesZipArtifact) => PublishProducesZipArtifact(pipeline),
        nameof(DeployOnlyFromMainWithApproval) => DeployOnlyFromMainWithApproval(pipeline),
        nameof(DeployUsesAzureFunctionAppWithVariables) => DeployUsesAzureFunctionAppWithVariables(pipeline),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "Unknown pipeline check."),
    };

    /// <summary>The command lines inside the README's fenced code blocks.</summary>
    public static IReadOnlyList<string> ReadmeCommands(string readme)
    {
        var commands = new List<string>();
        string? fence = null;
        foreach (var raw in readme.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (fence is null)
            {
                if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
                {
                    fence = trimmed[..3];
                }
            }
            else if (trimmed.StartsWith(fence, StringComparison.Ordinal))
            {
                fence = null;
            }
            else
            {
                commands.Add(line.Trim());
            }
        }

        return commands;
    }

    public static string? StagesInOrder(PipelineDefinition pipeline) =>
        pipeline.StageNames.SequenceEqual(ExpectedStages)
            ? null
            : $"Expected the stages {string.Join(", ", ExpectedStages)} in that order, found {string.Join(", ", pipeline.StageNames)}.";

    public static string? TriggersOnMainAndPullRequests(PipelineDefinition pipeline)
    {
        var ci = IncludedBranches(pipeline["trigger"]);
        if (!ci.Contains("main"))
        {
            return $"The CI trigger must include main (found: {string.Join(", ", ci)}).";
        }

        var pr = IncludedBranches(pipeline["pr"]);
        return pr.Contains("main")
            ? null
            : $"Pull requests into main must trigger the pipeline (pr found: {string.Join(", ", pr)}).";
    }

    public static string? BuildStageRunsReadmeTestCommand(PipelineDefinition pipeline, string readme)
    {
        if (!ReadmeCommands(readme).Contains(ReadmeTestCommand))
        {
            return $"README.md has no fenced line `{ReadmeTestCommand}`: the pipeline must run the README's test command.";
        }

        if (pipeline.Stage("BuildAndTest") is not { } stage)
        {
            return "No BuildAndTest stage.";
        }

        var steps = Steps(stage);
        var testStep = steps.ToList().FindIndex(step => ScriptLines(step).Contains(ReadmeTestCommand));
        if (testStep < 0)
        {
            return $"BuildAndTest must run the README's test command `{ReadmeTestCommand}` as a script line.";
        }

        var dotnet = steps.ToList().FindIndex(step => IsTask(step, "UseDotNet@2")
            && pipeline.Resolve(Input(step, "version") ?? "").StartsWith("10.", StringComparison.Ordinal));
        if (dotnet < 0 || dotnet > testStep)
        {
            return "BuildAndTest must install the .NET 10 SDK (UseDotNet@2, version 10.x) before running the tests.";
        }

        var node = steps.ToList().FindIndex(step => IsTask(step, "NodeTool@0")
            && pipeline.Resolve(Input(step, "versionSpec") ?? "").StartsWith("20.", StringComparison.Ordinal));
        if (node < 0 || node > testStep)
        {
            return "BuildAndTest must install Node.js 20 (NodeTool@0, versionSpec 20.x) before running the tests (Azurite).";
        }

        var results = FirstOf(Tasks(stage, "PublishTestResults@2"));
        if (results is null
            || !string.Equals(Input(results, "testResultsFormat", "testRunner"), "VSTest", StringComparison.OrdinalIgnoreCase)
            || !(Input(results, "testResultsFiles") ?? "").Contains(".trx", StringComparison.OrdinalIgnoreCase)
            || !RunsEvenWhenTestsFail(results))
        {
            return "BuildAndTest must publish the TRX test results (PublishTestResults@2, VSTest, *.trx) even when tests fail.";
        }

        var coverage = FirstOf(Tasks(stage, "PublishCodeCoverageResults@2"));
        if (coverage is null
            || !(Input(coverage, "summaryFileLocation") ?? "").Contains("cobertura", StringComparison.OrdinalIgnoreCase)
            || !RunsEvenWhenTestsFail(coverage))
        {
            return "BuildAndTest must publish the Cobertura coverage (PublishCodeCoverageResults@2) even when tests fail.";
        }

        return null;
    }

    public static string? EndToEndRunsSuiteAgainstFuncStart(PipelineDefinition pipeline)
    {
        if (pipeline.Stage("EndToEnd") is not { } stage)
        {
            return "No EndToEnd stage.";
        }

        var lines = CommandLines(stage);
        int Find(Func<string, bool> predicate) => lines.ToList().FindIndex(line => predicate(line));

        var coreTools = Find(line => CoreToolsInstall().IsMatch(line));
        var npmCi = Find(line => line == "npm ci");
        var azurite = Find(line => line.Contains("azurite", StringComparison.Ordinal) && line.Contains("127.0.0.1", StringComparison.Ordinal));
        var keygen = Find(line => line.Contains("dotnet run --project tools/DevTokens -- keygen", StringComparison.Ordinal));
        var settings = Find(line => line.Contains("dotnet run --project tools/DevTokens -- settings", StringComparison.Ordinal));
        var funcStart = Find(line => FuncStart().IsMatch(line));
        var waits = lines.ToList().FindIndex(Math.Max(funcStart, 0), line => line.Contains(LocalBaseUrl, StringComparison.Ordinal) && !line.Contains("dotnet test", StringComparison.Ordinal));
        var suite = Find(line => line.Contains("dotnet test", StringComparison.Ordinal) && line.Contains("Category=EndToEnd", StringComparison.Ordinal));

        if (coreTools < 0) return "EndToEnd must install Core Tools: npm i -g azure-functions-core-tools@4.";
        if (npmCi < 0) return "EndToEnd must run `npm ci` (Azurite).";
        if (azurite < 0) return "EndToEnd must start Azurite on 127.0.0.1.";
        if (keygen < 0 || settings < 0) return "EndToEnd must run the DevTokens keygen and settings commands.";
        if (funcStart < 0) return "EndToEnd must run `func start`.";
        if (suite < 0) return "EndToEnd must run `dotnet test ... --filter \"Category=EndToEnd\"`.";
        if (!(azurite < funcStart && keygen < settings && settings < funcStart && funcStart < suite))
        {
            return "EndToEnd must start Azurite, generate the dev keys and settings, start `func start`, and only then run the suite.";
        }

        // Core Tools runs a .NET app from its build output, where the build copies host.json
        // and local.settings.json; the project folder itself holds neither.
        var build = Find(line => line.Contains("dotnet build LogoutFunction/LogoutFunction.csproj -c Release", StringComparison.Ordinal));
        var inBuildOutput = lines.Take(funcStart + 1).Any(line => line.Contains("cd LogoutFunction/bin/Release/net10.0", StringComparison.Ordinal));
        if (build < 0 || build > funcStart || !inBuildOutput)
        {
            return "EndToEnd must build LogoutFunction in Release and run `func start` in LogoutFunction/bin/Release/net10.0.";
        }

        if (waits <= funcStart || waits > suite)
        {
            return $"EndToEnd must wait for {LocalBaseUrl} to answer between `func start` and the suite.";
        }

        var inline = lines[suite].Contains($"LOGOUT_BASE_URL={LocalBaseUrl}", StringComparison.Ordinal);
        var inEnv = Steps(stage).Any(step =>
            (ScriptOf(step) ?? "").Contains("Category=EndToEnd", StringComparison.Ordinal)
            && Scalar(Child(step, "env"), "LOGOUT_BASE_URL") == LocalBaseUrl);
        return inline || inEnv ? null : $"The end-to-end suite must run with LOGOUT_BASE_URL={LocalBaseUrl}.";
    }

    public static string? InfrastructureBuildsAndLintsBicep(PipelineDefinition pipeline)
    {
        if (pipeline.Stage("Infrastructure") is not { } stage)
        {
            return "No Infrastructure stage.";
        }

        var lines = CommandLines(stage);
        var build = lines.Any(line => BicepCommand("build").IsMatch(line) && line.Contains("infra/main.bicep", StringComparison.Ordinal));
        var lint = lines.Any(line => BicepCommand("lint").IsMatch(line) && line.Contains("infra/main.bicep", StringComparison.Ordinal));
        return build && lint ? null : "Infrastructure must run `bicep build` and `bicep lint` of infra/main.bicep.";
    }

    public static string? PublishProducesZipArtifact(PipelineDefinition pipeline)
    {
        if (pipeline.Stage("Publish") is not { } stage)
        {
            return "No Publish stage.";
        }

        var dependsOn = ScalarOrList(Child(stage, "dependsOn"));
        if (!dependsOn.Contains("BuildAndTest") || !dependsOn.Contains("EndToEnd"))
        {
            return "Publish must depend on BuildAndTest and EndToEnd: nothing untested is published.";
        }

        if (!CommandLines(stage).Any(line => line.StartsWith($"dotnet publish {AppProject}", StringComparison.Ordinal)))
        {
            return $"Publish must run `dotnet publish {AppProject}`.";
        }

        var zip = FirstOf(Tasks(stage, "ArchiveFiles@2"));
        var zipFile = zip is null ? null : Input(zip, "archiveFile");
        if (zip is null
            || !string.Equals(Input(zip, "archiveType"), "zip", StringComparison.OrdinalIgnoreCase)
            || zipFile is null
            || !zipFile.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            return "Publish must zip the published app (ArchiveFiles@2, archiveType zip, a .zip archiveFile).";
        }

        return ArtifactPublishedFrom(stage, zipFile) is null
            ? "Publish must publish the zip as a pipeline artifact."
            : null;
    }

    public static string? DeployOnlyFromMainWithApproval(PipelineDefinition pipeline)
    {
        if (pipeline.Stage("Deploy") is not { } stage)
        {
            return "No Deploy stage.";
        }

        if (!ScalarOrList(Child(stage, "dependsOn")).Contains("Publish"))
        {
            return "Deploy must depend on Publish.";
        }

        var condition = Normalize(Scalar(stage, "condition") ?? "");
        if (!condition.StartsWith("and(succeeded(),", StringComparison.Ordinal)
            || !condition.Contains("eq(variables['build.sourcebranch'],'refs/heads/main')", StringComparison.Ordinal)
            || !condition.Contains("ne(variables['build.reason'],'pullrequest')", StringComparison.Ordinal))
        {
            return "Deploy must be conditioned on and(succeeded(), main branch, not a pull request).";
        }

        var jobs = Jobs(stage);
        if (jobs.Count == 0 || jobs.Any(job => Scalar(job, "deployment") is null))
        {
            return "Every Deploy job must be a deployment job (so that the environment's approval applies).";
        }

        return jobs.All(job => !string.IsNullOrWhiteSpace(pipeline.Resolve(EnvironmentName(job) ?? "")))
            ? null
            : "Every Deploy job must name an environment (where the approval check is configured).";
    }

    public static string? DeployUsesAzureFunctionAppWithVariables(PipelineDefinition pipeline)
    {
        if (pipeline.Stage("Deploy") is not { } stage)
        {
            return "No Deploy stage.";
        }

        var deploy = FirstOf(Tasks(stage, "AzureFunctionApp@2"));
        if (deploy is null)
        {
            return "Deploy must use the AzureFunctionApp@2 task.";
        }

        if (!string.Equals(Input(deploy, "isFlexConsumption"), "true", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(Input(deploy, "appType"), "functionAppLinux", StringComparison.Ordinal))
        {
            return "AzureFunctionApp@2 must target a Linux app on Flex Consumption (appType functionAppLinux, isFlexConsumption true).";
        }

        var variables = pipeline.Variables;
        var connection = VariableReferencedBy(Input(deploy, "connectedServiceNameARM", "azureSubscription"));
        if (connection is null || !variables.ContainsKey(connection))
        {
            return "The service connection of AzureFunctionApp@2 must be a pipeline variable.";
        }

        var appName = VariableReferencedBy(Input(deploy, "appName"));
        if (appName is null || !variables.ContainsKey(appName))
        {
            return "The app name of AzureFunctionApp@2 must be a pipeline variable.";
        }

        var publish = pipeline.Stage("Publish");
        var zipFile = publish is null
            ? null
            : Tasks(publish, "ArchiveFiles@2").Select(zip => Input(zip, "archiveFile")).OfType<string>().FirstOrDefault();
        var artifact = publish is null || zipFile is null ? null : ArtifactPublishedFrom(publish, zipFile);
        var package = Input(deploy, "package") ?? "";
        return artifact is not null && package.EndsWith($"/{artifact}/{Path.GetFileName(zipFile)}", StringComparison.Ordinal)
            ? null
            : "AzureFunctionApp@2 must deploy the zip that the Publish stage publishes as an artifact.";
    }

    private static IReadOnlyList<string> IncludedBranches(YamlNode? trigger) => trigger switch
    {
        YamlScalarNode scalar => scalar.Value is null or "none" ? [] : [scalar.Value],
        YamlSequenceNode list => ScalarOrList(list),
        YamlMappingNode map => ScalarOrList(Child(Child(map, "branches"), "include")),
        _ => [],
    };

    private static YamlMappingNode? FirstOf(IReadOnlyList<YamlMappingNode> steps) => steps.Count > 0 ? steps[0] : null;

    private static List<string> ScriptLines(YamlMappingNode step) =>
        (ScriptOf(step) ?? "").Split('\n').Select(line => line.Trim()).ToList();

    private static bool IsTask(YamlMappingNode step, string task) =>
        string.Equals(Scalar(step, "task"), task, StringComparison.OrdinalIgnoreCase);

    private static bool RunsEvenWhenTestsFail(YamlMappingNode step) =>
        Normalize(Scalar(step, "condition") ?? "") is "succeededorfailed()" or "always()";

    private static string? EnvironmentName(YamlMappingNode job) => Child(job, "environment") switch
    {
        YamlScalarNode scalar => scalar.Value,
        YamlMappingNode map => Scalar(map, "name"),
        _ => null,
    };

    /// <summary>The artifact name under which a stage publishes <paramref name="file"/> (or its folder).</summary>
    private static string? ArtifactPublishedFrom(YamlMappingNode stage, string file)
    {
        foreach (var step in Steps(stage))
        {
            var (path, artifact) = Scalar(step, "publish") is { } shortcut
                ? (shortcut, Scalar(step, "artifact"))
                : IsTask(step, "PublishPipelineArtifact@1") ? (Input(step, "targetPath", "path"), Input(step, "artifact", "artifactName"))
                : IsTask(step, "PublishBuildArtifacts@1") ? (Input(step, "PathtoPublish"), Input(step, "ArtifactName"))
                : (null, null);
            if (path is null || artifact is null)
            {
                continue;
            }

            var folder = Path.GetDirectoryName(file) ?? "";
            if (path == file || path == folder || path.TrimEnd('/') == folder)
            {
                return artifact;
            }
        }

        return null;
    }

    private static string Normalize(string condition) =>
        WhiteSpace().Replace(condition, "").Replace('"', '\'').ToLowerInvariant();

    private static Regex BicepCommand(string verb) => new($@"(^|\s|/)(az\s+)?bicep\s+{verb}\b", RegexOptions.CultureInvariant);

    /// <summary>A line that runs `func start` (not one that merely mentions it in quotes).</summary>
    [GeneratedRegex(@"(^|&&\s*|;\s*|\(\s*|\bexec\s+)func\s+start\b")]
    private static partial Regex FuncStart();

    [GeneratedRegex(@"npm\s+(i|install)\s+(-g|--global)\s+azure-functions-core-tools@4\b")]
    private static partial Regex CoreToolsInstall();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
