using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Delivery.Tests.PipelineDefinition;

namespace Delivery.Tests;

/// <summary>
/// What azure-pipelines.yml must do, one check per concern. Each returns null when the pipeline
/// satisfies it and otherwise says what is wrong, so a test can also show that a broken pipeline fails.
/// </summary>
internal static partial class PipelineChecks
{
    public const string ReadmeTestCommand = "./test.sh";
    public const string AppProject = "LogoutFunction/LogoutFunction.csproj";
    public const string LocalBaseUrl = "http://127.0.0.1:7071";
    public const string SmokeTest = "smoke-test.sh";

    public static readonly IReadOnlyList<string> ExpectedStages = ["BuildAndTest", "Infrastructure", "Deploy"];

    public static readonly IReadOnlyList<string> All =
    [
        nameof(StagesInOrder),
        nameof(TriggersOnMainAndPullRequests),
        nameof(BuildStageRunsReadmeTestCommand),
        nameof(BuildStagePublishesOnceAndKeepsThatZipAsTheArtifact),
        nameof(EndToEndRunsSuiteAgainstTheZipUnderFuncStart),
        nameof(CoreToolsPinnedToAnExactVersion),
        nameof(ReadinessIsAPostToLogoutExpectingThe401),
        nameof(InfrastructureBuildsAndLintsBicep),
        nameof(DeployOnlyFromMainWithApproval),
        nameof(DeployUsesAzureFunctionAppWithVariables),
        nameof(DeployDoesNotRebuild),
        nameof(DeployEndsWithSmokeTest),
    ];

    public static string? Run(string check, PipelineDefinition pipeline, string readme) => check switch
    {
        nameof(StagesInOrder) => StagesInOrder(pipeline),
        nameof(TriggersOnMainAndPullRequests) => TriggersOnMainAndPullRequests(pipeline),
        nameof(BuildStageRunsReadmeTestCommand) => BuildStageRunsReadmeTestCommand(pipeline, readme),
        nameof(BuildStagePublishesOnceAndKeepsThatZipAsTheArtifact) => BuildStagePublishesOnceAndKeepsThatZipAsTheArtifact(pipeline),
        nameof(EndToEndRunsSuiteAgainstTheZipUnderFuncStart) => EndToEndRunsSuiteAgainstTheZipUnderFuncStart(pipeline),
        nameof(CoreToolsPinnedToAnExactVersion) => CoreToolsPinnedToAnExactVersion(pipeline),
        nameof(ReadinessIsAPostToLogoutExpectingThe401) => ReadinessIsAPostToLogoutExpectingThe401(pipeline),
        nameof(InfrastructureBuildsAndLintsBicep) => InfrastructureBuildsAndLintsBicep(pipeline),
        nameof(DeployOnlyFromMainWithApproval) => DeployOnlyFromMainWithApproval(pipeline),
        nameof(DeployUsesAzureFunctionAppWithVariables) => DeployUsesAzureFunctionAppWithVariables(pipeline),
        nameof(DeployDoesNotRebuild) => DeployDoesNotRebuild(pipeline),
        nameof(DeployEndsWithSmokeTest) => DeployEndsWithSmokeTest(pipeline),
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "Unknown pipeline check."),
    };

    /// <summary>The command lines inside the README's fenced code blocks, without trailing comments.</summary>
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
                // A shell comment after the command is not part of it.
                var comment = line.IndexOf(" #", StringComparison.Ordinal);
                commands.Add((comment < 0 ? line : line[..comment]).Trim());
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

    /// <summary>What the BuildAndTest stage builds for deployment: one `dotnet publish`, zipped, published as an artifact.</summary>
    public sealed record AppArtifact(string PublishDir, string ZipFile, string ArtifactName, int PublishStep, int ZipStep, int ArtifactStep);

    /// <summary>The app artifact as the BuildAndTest stage defines it, or why it is not well defined.</summary>
    public static (AppArtifact? Artifact, string? Problem) FindAppArtifact(PipelineDefinition pipeline)
    {
        if (pipeline.Stage("BuildAndTest") is not { } stage)
        {
            return (null, "No BuildAndTest stage.");
        }

        var everyPublish = pipeline.Stages.SelectMany(CommandLines).Where(line => DotnetVerb("publish").IsMatch(line)).ToList();
        if (everyPublish.Count != 1)
        {
            return (null, $"The pipeline must run `dotnet publish` exactly once, in BuildAndTest (found {everyPublish.Count}).");
        }

        var steps = Steps(stage).ToList();
        var publishStep = steps.FindIndex(step => ScriptLines(step).Any(line => DotnetVerb("publish").IsMatch(line)));
        var publish = pipeline.ResolveIn(stage, everyPublish[0]);
        var output = PublishOutput().Match(publish);
        if (publishStep < 0
            || !publish.StartsWith($"dotnet publish {AppProject} ", StringComparison.Ordinal)
            || !ReleaseConfiguration().IsMatch(publish)
            || !output.Success)
        {
            return (null, $"BuildAndTest must run `dotnet publish {AppProject} --configuration Release --output <folder>`.");
        }

        var publishDir = (output.Groups[1].Success ? output.Groups[1] : output.Groups[2]).Value.Trim('"', '\'').TrimEnd('/');
        var zipStep = steps.FindIndex(step => IsTask(step, "ArchiveFiles@2"));
        var zip = zipStep < 0 ? null : steps[zipStep];
        var zipFile = zip is null ? null : pipeline.ResolveIn(stage, Input(zip, "archiveFile") ?? "");
        if (zip is null
            || pipeline.ResolveIn(stage, Input(zip, "rootFolderOrFile") ?? "").TrimEnd('/') != publishDir
            || !string.Equals(Input(zip, "includeRootFolder"), "false", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(Input(zip, "archiveType"), "zip", StringComparison.OrdinalIgnoreCase)
            || zipFile is null
            || !zipFile.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
            || zipStep < publishStep)
        {
            return (null, "BuildAndTest must zip the published folder itself (ArchiveFiles@2 of the --output folder, includeRootFolder false, a .zip archiveFile), after publishing it.");
        }

        var artifactStep = -1;
        string? artifact = null;
        for (var i = 0; i < steps.Count && artifact is null; i++)
        {
            artifact = ArtifactPublishedFrom(pipeline, stage, steps[i], zipFile);
            artifactStep = i;
        }

        return artifact is null
            ? (null, "BuildAndTest must publish the zip (or its folder) as a pipeline artifact.")
            : (new AppArtifact(publishDir, zipFile, artifact, publishStep, zipStep, artifactStep), null);
    }

    public static string? BuildStagePublishesOnceAndKeepsThatZipAsTheArtifact(PipelineDefinition pipeline)
    {
        var (app, problem) = FindAppArtifact(pipeline);
        if (app is null)
        {
            return problem;
        }

        var stage = pipeline.Stage("BuildAndTest")!;
        var steps = Steps(stage).ToList();
        var testStep = steps.FindIndex(step => ScriptLines(step).Contains(ReadmeTestCommand));
        if (testStep < 0 || testStep > app.PublishStep)
        {
            return $"BuildAndTest must publish the app after the test command `{ReadmeTestCommand}`.";
        }

        // Nothing after the publish may build again: no build, publish or pack, and tests with --no-build.
        var later = steps.Skip(app.PublishStep + 1).SelectMany(step => (ScriptOf(step) ?? "").Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'));
        if (later.Any(line => DotnetVerb("build").IsMatch(line) || DotnetVerb("msbuild").IsMatch(line) || DotnetVerb("pack").IsMatch(line)
            || (DotnetVerb("test").IsMatch(line) && !line.Contains("--no-build", StringComparison.Ordinal))))
        {
            return "After `dotnet publish`, BuildAndTest must not build again (no dotnet build/msbuild/pack; dotnet test with --no-build).";
        }

        var suite = steps.FindIndex(step => (ScriptOf(step) ?? "").Contains("Category=EndToEnd", StringComparison.Ordinal));
        var artifactStep = steps[app.ArtifactStep];
        if (suite < 0 || app.ArtifactStep < suite || app.ArtifactStep < app.ZipStep)
        {
            return "BuildAndTest must publish the app artifact only after the end-to-end suite has run against it.";
        }

        return Scalar(artifactStep, "condition") is { } condition && Normalize(condition) != "succeeded()"
            ? "The app artifact must be published only when everything before it succeeded (no condition)."
            : null;
    }

    public static string? EndToEndRunsSuiteAgainstTheZipUnderFuncStart(PipelineDefinition pipeline)
    {
        var (app, problem) = FindAppArtifact(pipeline);
        if (app is null)
        {
            return problem;
        }

        var stage = pipeline.Stage("BuildAndTest")!;
        var steps = Steps(stage).ToList();
        var lines = CommandLines(stage).Select(line => pipeline.ResolveIn(stage, line)).ToList();
        int Find(Func<string, bool> predicate) => lines.FindIndex(line => predicate(line));

        var unzip = Find(line => UnzipInto().Match(line) is { Success: true } m && m.Groups[1].Value.Trim('"') == app.ZipFile);
        var unzipStep = steps.FindIndex(step => (ScriptOf(step) ?? "").Split('\n').Any(line => UnzipInto().IsMatch(pipeline.ResolveIn(stage, line))));
        var runDir = unzip < 0 ? null : UnzipInto().Match(lines[unzip]).Groups[2].Value.Trim('"').TrimEnd('/');
        var azurite = Find(line => line.Contains("azurite", StringComparison.Ordinal) && line.Contains("127.0.0.1", StringComparison.Ordinal));
        var keygen = Find(line => line.Contains("dotnet run --project tools/DevTokens -- keygen", StringComparison.Ordinal));
        var settings = Find(line => line.Contains("dotnet run --project tools/DevTokens -- settings", StringComparison.Ordinal)
            && runDir is not null && line.Contains($"--output \"{runDir}/local.settings.json\"", StringComparison.Ordinal));
        var funcStart = Find(line => FuncStart().IsMatch(line));
        var suite = Find(line => DotnetVerb("test").IsMatch(line) && line.Contains("Category=EndToEnd", StringComparison.Ordinal));

        if (unzip < 0 || runDir is null || unzipStep < app.ZipStep)
        {
            return $"BuildAndTest must unzip the app's zip ({app.ZipFile}) into a folder of its own for the end-to-end run, after making it.";
        }

        if (runDir == app.PublishDir || runDir.StartsWith(Path.GetDirectoryName(app.ZipFile) + "/", StringComparison.Ordinal))
        {
            return "The end-to-end run must unpack the zip outside the publish folder and the artifact (local.settings.json goes there).";
        }

        if (azurite < 0) return "BuildAndTest must start Azurite on 127.0.0.1 for the end-to-end run.";
        if (keygen < 0 || settings < 0) return "BuildAndTest must run the DevTokens keygen, and settings with --output \"<unzipped>/local.settings.json\".";
        if (funcStart < 0) return "BuildAndTest must run `func start`.";
        if (suite < 0) return "BuildAndTest must run `dotnet test ... --filter \"Category=EndToEnd\"`.";
        if (!(azurite < funcStart && unzip < funcStart && keygen < settings && settings < funcStart && funcStart < suite))
        {
            return "The end-to-end run must start Azurite, unzip the app, write its settings, start `func start`, and only then run the suite.";
        }

        if (!lines[funcStart].Contains($"cd \"{runDir}\" &&", StringComparison.Ordinal) || !lines[funcStart].Contains("--no-build", StringComparison.Ordinal))
        {
            return "`func start --no-build` must run in the folder the zip was unpacked to: the tested app is the zip, not a build output.";
        }

        if (!lines[suite].Contains("--no-build", StringComparison.Ordinal))
        {
            return "The end-to-end suite must run with --no-build: the tests ./test.sh built, nothing rebuilt.";
        }

        var inline = lines[suite].Contains($"LOGOUT_BASE_URL={LocalBaseUrl}", StringComparison.Ordinal);
        var inEnv = Steps(stage).Any(step =>
            (ScriptOf(step) ?? "").Contains("Category=EndToEnd", StringComparison.Ordinal)
            && Scalar(Child(step, "env"), "LOGOUT_BASE_URL") == LocalBaseUrl);
        return inline || inEnv ? null : $"The end-to-end suite must run with LOGOUT_BASE_URL={LocalBaseUrl}.";
    }

    public static string? CoreToolsPinnedToAnExactVersion(PipelineDefinition pipeline)
    {
        if (pipeline.Stage("BuildAndTest") is not { } stage)
        {
            return "No BuildAndTest stage.";
        }

        var installs = pipeline.Stages
            .SelectMany(s => CommandLines(s).Select(line => pipeline.ResolveIn(s, line)))
            .Where(line => NpmInstall().IsMatch(line) && line.Contains("azure-functions-core-tools", StringComparison.Ordinal))
            .ToList();
        if (installs.Count == 0)
        {
            return "BuildAndTest must install Azure Functions Core Tools with npm (azure-functions-core-tools@<exact version>).";
        }

        foreach (var install in installs)
        {
            var version = CoreToolsSpec().Match(install);
            if (!version.Success || !ExactCoreToolsVersion().IsMatch(version.Groups[1].Value.Trim('"', '\'')))
            {
                return $"Core Tools must be pinned to an exact 4.x.y version, not a range or tag: {install}";
            }
        }

        var lines = CommandLines(stage).Select(line => pipeline.ResolveIn(stage, line)).ToList();
        var install0 = lines.FindIndex(line => NpmInstall().IsMatch(line) && line.Contains("azure-functions-core-tools", StringComparison.Ordinal));
        var funcStart = lines.FindIndex(line => FuncStart().IsMatch(line));
        return install0 >= 0 && funcStart > install0 ? null : "BuildAndTest must install the pinned Core Tools before `func start`.";
    }

    public static string? ReadinessIsAPostToLogoutExpectingThe401(PipelineDefinition pipeline)
    {
        if (pipeline.Stage("BuildAndTest") is not { } stage)
        {
            return "No BuildAndTest stage.";
        }

        var lines = CommandLines(stage).Select(line => pipeline.ResolveIn(stage, line)).ToList();
        var funcStart = lines.FindIndex(line => FuncStart().IsMatch(line));
        var suite = lines.FindIndex(line => DotnetVerb("test").IsMatch(line) && line.Contains("Category=EndToEnd", StringComparison.Ordinal));
        if (funcStart < 0 || suite < funcStart)
        {
            return "BuildAndTest must start `func start` and then run the end-to-end suite.";
        }

        var between = lines.Skip(funcStart + 1).Take(suite - funcStart - 1).ToList();
        var wait = between.FindIndex(line => SmokeTestRun().Match(line) is { Success: true } m && m.Groups[1].Value.Trim('"') == "tools/" + SmokeTest
            && m.Groups[2].Value.Trim('"') == LocalBaseUrl);
        if (wait < 0 || !between[wait].Contains("--pid", StringComparison.Ordinal))
        {
            return $"Between `func start` and the suite, BuildAndTest must wait with tools/{SmokeTest} {LocalBaseUrl} --pid <func's pid> "
                + "(POST /api/logout without a token, the contract's 401), not a port probe.";
        }

        // Any other request to the local app there would be a probe that proves less.
        var probe = between.FirstOrDefault(line => line.Contains("127.0.0.1:7071", StringComparison.Ordinal) && !SmokeTestRun().IsMatch(line));
        return probe is null ? null : $"The readiness wait must be the smoke test alone, not a probe: {probe}";
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

    public static string? DeployOnlyFromMainWithApproval(PipelineDefinition pipeline)
    {
        if (pipeline.Stage("Deploy") is not { } stage)
        {
            return "No Deploy stage.";
        }

        var dependsOn = ScalarOrList(Child(stage, "dependsOn"));
        if (!dependsOn.Contains("BuildAndTest") || !dependsOn.Contains("Infrastructure"))
        {
            return "Deploy must depend on BuildAndTest and Infrastructure: nothing untested is deployed.";
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

        var (app, problem) = FindAppArtifact(pipeline);
        if (app is null)
        {
            return problem;
        }

        var package = Input(deploy, "package") ?? "";
        return package == $"$(Pipeline.Workspace)/{app.ArtifactName}/{Path.GetFileName(app.ZipFile)}"
            ? null
            : $"AzureFunctionApp@2 must deploy $(Pipeline.Workspace)/{app.ArtifactName}/{Path.GetFileName(app.ZipFile)}, the zip BuildAndTest tested and published.";
    }

    public static string? DeployDoesNotRebuild(PipelineDefinition pipeline)
    {
        if (pipeline.Stage("Deploy") is not { } stage)
        {
            return "No Deploy stage.";
        }

        var (app, problem) = FindAppArtifact(pipeline);
        if (app is null)
        {
            return problem;
        }

        var steps = Steps(stage).ToList();
        if (steps.Any(step => Scalar(step, "checkout") is { } checkout && checkout != "none"))
        {
            return "Deploy must not check out the sources: it deploys the tested artifact, with nothing to build from.";
        }

        var buildingTask = steps.Select(step => Scalar(step, "task") ?? "").FirstOrDefault(task => BuildingTasks.Contains(task));
        if (buildingTask is not null)
        {
            return $"Deploy must not build or package: {buildingTask}.";
        }

        var building = CommandLines(stage).FirstOrDefault(line => BuildingCommand().IsMatch(line));
        if (building is not null)
        {
            return $"Deploy must not build, publish or package the app: {building}";
        }

        var download = steps.FindIndex(step =>
            (Scalar(step, "download") == "current" && Scalar(step, "artifact") == app.ArtifactName)
            || (IsTask(step, "DownloadPipelineArtifact@2") && Input(step, "artifact", "artifactName") == app.ArtifactName && (Input(step, "buildType", "source") ?? "current") == "current"));
        var checksum = steps.FindIndex(step => ScriptLines(step).Any(line => line.StartsWith("sha256sum --check ", StringComparison.Ordinal)));
        var deploy = steps.FindIndex(step => IsTask(step, "AzureFunctionApp@2"));
        if (download < 0 || deploy < download)
        {
            return $"Deploy must download the artifact `{app.ArtifactName}` of this run (download: current) before deploying it.";
        }

        return checksum > download && checksum < deploy
            ? null
            : "Deploy must check the zip against the SHA-256 recorded in BuildAndTest before deploying it.";
    }

    public static string? DeployEndsWithSmokeTest(PipelineDefinition pipeline)
    {
        if (pipeline.Stage("Deploy") is not { } stage)
        {
            return "No Deploy stage.";
        }

        var (app, problem) = FindAppArtifact(pipeline);
        if (app is null)
        {
            return problem;
        }

        var build = pipeline.Stage("BuildAndTest")!;
        if (!CommandLines(build).Any(line => line.StartsWith("cp ", StringComparison.Ordinal) && line.Contains($"tools/{SmokeTest}", StringComparison.Ordinal)))
        {
            return $"BuildAndTest must put tools/{SmokeTest} into the app artifact, for the Deploy stage.";
        }

        var steps = Steps(stage).ToList();
        var deploy = steps.FindIndex(step => IsTask(step, "AzureFunctionApp@2"));
        var last = steps.Count > 0 ? steps[^1] : null;
        // One command, alone, so that its exit status is the step's: no `|| true`, nothing after it.
        var command = last is null ? [] : ScriptLines(last).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        var smoke = command.Count == 1 && command[0].StartsWith("bash ", StringComparison.Ordinal) && !UnsafeChaining().IsMatch(command[0])
            ? SmokeTestRun().Match(command[0])
            : null;
        if (deploy < 0 || last is null || smoke is null || !smoke.Success || steps.Count - 1 <= deploy
            || smoke.Groups[1].Value.Trim('"') != $"$(Pipeline.Workspace)/{app.ArtifactName}/{SmokeTest}")
        {
            return $"Deploy must end with the smoke test of the artifact, $(Pipeline.Workspace)/{app.ArtifactName}/{SmokeTest}, after AzureFunctionApp@2.";
        }

        if (string.Equals(Scalar(last, "continueOnError"), "true", StringComparison.OrdinalIgnoreCase)
            || (Scalar(last, "condition") is { } condition && Normalize(condition) != "succeeded()"))
        {
            return "The smoke test must fail the stage: no continueOnError, no condition.";
        }

        // The base URL is the deployed app's host, as Azure reports it, over https.
        var baseUrl = VariableReferencedBy(smoke.Groups[2].Value.Trim('"'));
        var source = baseUrl is null ? null : steps.Skip(deploy + 1).Take(steps.Count - deploy - 2)
            .FirstOrDefault(step => IsTask(step, "AzureCLI@2")
                && (Input(step, "inlineScript") ?? "").Contains($"##vso[task.setvariable variable={baseUrl}]https://", StringComparison.Ordinal)
                && (Input(step, "inlineScript") ?? "").Contains("az functionapp show", StringComparison.Ordinal)
                && (Input(step, "inlineScript") ?? "").Contains("defaultHostName", StringComparison.Ordinal));
        return source is not null
            ? null
            : "The smoke test's base URL must be https://<defaultHostName> of the deployed app, set by an AzureCLI@2 step (az functionapp show) after the deployment.";
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

    /// <summary>The artifact name under which a step publishes <paramref name="file"/> (or its folder), if it does.</summary>
    private static string? ArtifactPublishedFrom(PipelineDefinition pipeline, YamlMappingNode stage, YamlMappingNode step, string file)
    {
        var (path, artifact) = Scalar(step, "publish") is { } shortcut
            ? (shortcut, Scalar(step, "artifact"))
            : IsTask(step, "PublishPipelineArtifact@1") ? (Input(step, "targetPath", "path"), Input(step, "artifact", "artifactName"))
            : (null, null);
        if (path is null || artifact is null)
        {
            return null;
        }

        path = pipeline.ResolveIn(stage, path).TrimEnd('/');
        return path == file || path == Path.GetDirectoryName(file) ? artifact : null;
    }

    /// <summary>Tasks that build or package; none belongs in the Deploy stage.</summary>
    private static readonly HashSet<string> BuildingTasks = new(StringComparer.OrdinalIgnoreCase)
    {
        "DotNetCoreCLI@2", "UseDotNet@2", "VSBuild@1", "MSBuild@1", "ArchiveFiles@2", "Npm@1", "AzureFunctionAppContainer@1",
    };

    private static string Normalize(string condition) =>
        WhiteSpace().Replace(condition, "").Replace('"', '\'').ToLowerInvariant();

    private static Regex BicepCommand(string verb) => new($@"(^|\s|/)(az\s+)?bicep\s+{verb}\b", RegexOptions.CultureInvariant);

    /// <summary>A line that runs `func start` (not one that merely mentions it in quotes).</summary>
    [GeneratedRegex(@"(^|&&\s*|;\s*|\(\s*|\bexec\s+)func\s+start\b")]
    private static partial Regex FuncStart();

    /// <summary>A `dotnet VERB` command (the dotnet CLI, not a word in a message).</summary>
    private static Regex DotnetVerb(string verb) => new($@"(^|[\s;&|(])dotnet\s+{verb}\b", RegexOptions.CultureInvariant);

    /// <summary>Anything that would make a new build or package in the Deploy stage.</summary>
    [GeneratedRegex(@"\bdotnet\s+(build|publish|msbuild|pack|restore|run|test)\b|\bmsbuild\b|\bfunc\s+(azure\s+functionapp\s+publish|pack)\b|\bazd\s+(up|deploy(?!.*--from-package))|\bzip\s|\bnpm\s+(ci|install|i)\b")]
    private static partial Regex BuildingCommand();

    [GeneratedRegex(@"--output\s+(""[^""]+""|\S+)|\s-o\s+(""[^""]+""|\S+)")]
    private static partial Regex PublishOutput();

    [GeneratedRegex(@"(--configuration|-c)\s+""?Release""?(\s|$)")]
    private static partial Regex ReleaseConfiguration();

    [GeneratedRegex(@"\bunzip\s+(?:-\w+\s+)*(""[^""]+""|\S+)\s+-d\s+(""[^""]+""|\S+)")]
    private static partial Regex UnzipInto();

    [GeneratedRegex(@"\bnpm\s+(i|install|add)\s")]
    private static partial Regex NpmInstall();

    [GeneratedRegex(@"azure-functions-core-tools(?:@([^\s]+))?")]
    private static partial Regex CoreToolsSpec();

    /// <summary>An exact major-4 version (4.13.2), not a range, tag or prerelease.</summary>
    [GeneratedRegex(@"^4\.\d+\.\d+$")]
    private static partial Regex ExactCoreToolsVersion();

    [GeneratedRegex(@"\|\||;|&|\||`")]
    private static partial Regex UnsafeChaining();

    /// <summary>A run of the smoke test script: its path and its base URL argument.</summary>
    [GeneratedRegex(@"\bbash\s+(""[^""]*smoke-test\.sh""|\S*smoke-test\.sh)\s+(""[^""]+""|\S+)")]
    private static partial Regex SmokeTestRun();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
