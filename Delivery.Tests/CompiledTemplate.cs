using System.Text.Json.Nodes;

namespace Delivery.Tests;

/// <summary>
/// infra/main.bicep compiled once per test class with the real Bicep CLI (to a temporary file,
/// never into the repository), plus the result of linting it.
/// </summary>
public sealed class CompiledTemplate : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("logout-bicep-").FullName;

    public CompiledTemplate()
    {
        var outputFile = Path.Combine(_directory, "main.json");
        Build = BicepCli.Run("build", Path.Combine("infra", "main.bicep"), "--outfile", outputFile);
        Lint = BicepCli.Run("lint", Path.Combine("infra", "main.bicep"));
        if (File.Exists(outputFile))
        {
            Template = JsonNode.Parse(File.ReadAllText(outputFile))!.AsObject();
        }
    }

    internal BicepRun Build { get; }

    internal BicepRun Lint { get; }

    /// <summary>The ARM template, or null when the build produced none.</summary>
    internal JsonObject? Template { get; }

    internal JsonObject RequireTemplate() =>
        Template ?? throw new InvalidOperationException("bicep build produced no template.\n" + Build.Describe());

    /// <summary>Every resource of the template, those of nested module deployments included.</summary>
    internal IEnumerable<JsonObject> Resources() => ResourcesOf(RequireTemplate());

    internal IEnumerable<JsonObject> ResourcesOfType(string type) =>
        Resources().Where(resource => string.Equals((string?)resource["type"], type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The module deployment named <paramref name="name"/> (a Microsoft.Resources/deployments resource).</summary>
    internal JsonObject Module(string name) =>
        ResourcesOfType("Microsoft.Resources/deployments").SingleOrDefault(resource => (string?)resource["name"] == name)
        ?? throw new InvalidOperationException($"No module deployment named '{name}' in the compiled template.");

    /// <summary>The condition of a module deployment, e.g. "[parameters('x')]", or null when it is always deployed.</summary>
    internal string? ModuleCondition(string name) => (string?)Module(name)["condition"];

    /// <summary>The resources of type <paramref name="type"/> in the template of the module named <paramref name="name"/> (its nested modules included).</summary>
    internal IEnumerable<JsonObject> ResourcesOfModule(string name, string type) =>
        ResourcesOf(Module(name)["properties"]?["template"] as JsonObject
                ?? throw new InvalidOperationException($"Module '{name}' has no inline template."))
            .Where(resource => string.Equals((string?)resource["type"], type, StringComparison.OrdinalIgnoreCase));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }

    private static IEnumerable<JsonObject> ResourcesOf(JsonObject template)
    {
        // Bicep emits resources as an array, or (with symbolic names) as an object keyed by name.
        IEnumerable<JsonNode?> resources = template["resources"] switch
        {
            JsonArray array => array,
            JsonObject map => map.Select(pair => pair.Value),
            _ => [],
        };
        // A resource declared `existing` (emitted with symbolic names) refers to one, it deploys nothing.
        foreach (var resource in resources.OfType<JsonObject>().Where(resource => resource["existing"]?.GetValue<bool>() != true))
        {
            yield return resource;
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in ResourcesOf(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
