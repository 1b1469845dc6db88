using System.Text.Json.Nodes;

namespace FunctionsHostEmulator.Configuration;

/// <summary>worker.config.json, which the Worker SDK writes to the app's output: how to launch the worker.</summary>
internal sealed class WorkerConfig
{
    public required string Language { get; init; }

    public required string ExecutablePath { get; init; }

    public required IReadOnlyList<string> ExecutableArguments { get; init; }

    /// <summary>Absolute path of the worker's entry assembly.</summary>
    public required string WorkerPath { get; init; }

    public required IReadOnlyList<string> WorkerArguments { get; init; }

    public static WorkerConfig Load(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "worker.config.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"worker.config.json not found in {appDirectory}; point --app at the build output of an isolated-worker app (bin/<Configuration>/net10.0).", path);
        }

        var description = JsonFile.Read(path)["description"] as JsonObject
            ?? throw new InvalidDataException($"{path} has no \"description\" object.");

        var workerPath = JsonFile.AsText(description["defaultWorkerPath"])
            ?? throw new InvalidDataException($"{path} has no description.defaultWorkerPath.");

        return new WorkerConfig
        {
            Language = JsonFile.AsText(description["language"]) ?? "dotnet-isolated",
            ExecutablePath = JsonFile.AsText(description["defaultExecutablePath"]) ?? "dotnet",
            ExecutableArguments = ReadList(description["arguments"]),
            WorkerPath = Path.GetFullPath(workerPath, appDirectory),
            WorkerArguments = ReadList(description["workerArguments"]),
        };
    }

    private static List<string> ReadList(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(JsonFile.AsText).OfType<string>()] : [];
}
