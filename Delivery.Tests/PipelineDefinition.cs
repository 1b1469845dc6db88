using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Delivery.Tests;

/// <summary>A read-only view of an Azure Pipelines YAML definition: stages, their steps, variables.</summary>
internal sealed partial class PipelineDefinition
{
    private readonly YamlMappingNode _root;

    private PipelineDefinition(YamlMappingNode root) => _root = root;

    public static PipelineDefinition Parse(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        Assert.True(stream.Documents.Count == 1, "azure-pipelines.yml must hold exactly one YAML document.");
        return new PipelineDefinition((YamlMappingNode)stream.Documents[0].RootNode);
    }

    public YamlNode? this[string key] => Child(_root, key);

    public IReadOnlyList<YamlMappingNode> Stages =>
        (this["stages"] as YamlSequenceNode)?.Children.OfType<YamlMappingNode>().ToList() ?? [];

    public IReadOnlyList<string> StageNames => Stages.Select(stage => Scalar(stage, "stage") ?? "").ToList();

    public YamlMappingNode? Stage(string name) => Stages.FirstOrDefault(stage => Scalar(stage, "stage") == name);

    /// <summary>Top-level variables, whether written as a mapping or as a list of name/value pairs.</summary>
    public IReadOnlyDictionary<string, string> Variables
    {
        get
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            AddVariables(variables, this["variables"]);
            return variables;
        }
    }

    /// <summary>The variables a stage's steps see: top-level, then the stage's, then its jobs'.</summary>
    public IReadOnlyDictionary<string, string> VariablesIn(YamlMappingNode stage)
    {
        var variables = new Dictionary<string, string>(Variables, StringComparer.Ordinal);
        AddVariables(variables, Child(stage, "variables"));
        foreach (var job in Jobs(stage))
        {
            AddVariables(variables, Child(job, "variables"));
        }

        return variables;
    }

    private static void AddVariables(Dictionary<string, string> variables, YamlNode? node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    variables[((YamlScalarNode)key).Value ?? ""] = (value as YamlScalarNode)?.Value ?? "";
                }

                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children.OfType<YamlMappingNode>())
                {
                    if (Scalar(item, "name") is { } name)
                    {
                        variables[name] = Scalar(item, "value") ?? "";
                    }
                }

                break;
        }
    }

    /// <summary>The jobs of a stage: regular jobs and deployment jobs.</summary>
    public static IReadOnlyList<YamlMappingNode> Jobs(YamlMappingNode stage) =>
        (Child(stage, "jobs") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>().ToList() ?? [];

    /// <summary>Every step of a stage, in order, including the lifecycle hooks of deployment jobs.</summary>
    public static IReadOnlyList<YamlMappingNode> Steps(YamlMappingNode stage)
    {
        var steps = new List<YamlMappingNode>();
        foreach (var job in Jobs(stage))
        {
            steps.AddRange(StepsOf(Child(job, "steps")));
            if (Child(job, "strategy") is YamlMappingNode strategy)
            {
                foreach (var (_, kind) in strategy.Children)
                {
                    if (kind is not YamlMappingNode hooks)
                    {
                        continue;
                    }

                    foreach (var (_, hook) in hooks.Children)
                    {
                        steps.AddRange(StepsOf(Child(hook, "steps")));
                    }
                }
            }
        }

        return steps;
    }

    /// <summary>The steps of a stage that use a task, e.g. "AzureFunctionApp@2".</summary>
    public static IReadOnlyList<YamlMappingNode> Tasks(YamlMappingNode stage, string task) =>
        Steps(stage).Where(step => string.Equals(Scalar(step, "task"), task, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The shell text of a step (script, bash or pwsh), or null for a task step.</summary>
    public static string? ScriptOf(YamlMappingNode step) =>
        Scalar(step, "script") ?? Scalar(step, "bash") ?? Scalar(step, "pwsh") ?? Scalar(step, "powershell");

    /// <summary>All the shell text of a stage, step after step, with line continuations joined.</summary>
    public static string ScriptText(YamlMappingNode stage) =>
        string.Join('\n', Steps(stage).Select(ScriptOf).OfType<string>()).Replace("\\\n", " ", StringComparison.Ordinal);

    /// <summary>The command lines of a stage's scripts, trimmed, without comments or blank lines.</summary>
    public static IReadOnlyList<string> CommandLines(YamlMappingNode stage) =>
        ScriptText(stage).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => WhiteSpace().Replace(line, " "))
            .ToList();

    public static string? Input(YamlMappingNode taskStep, params string[] names) =>
        Child(taskStep, "inputs") is YamlMappingNode inputs
            ? names.Select(name => Scalar(inputs, name)).FirstOrDefault(value => value is not null)
            : null;

    /// <summary>Expands $(Name) and ${{ variables.Name }} references to top-level variables.</summary>
    public string Resolve(string value) => Expand(value, Variables);

    /// <summary>Expands variable references as a stage's steps see them (top-level, stage and job
    /// variables, nested references too); predefined ones such as $(Agent.TempDirectory) stay.</summary>
    public string ResolveIn(YamlMappingNode stage, string value) => Expand(value, VariablesIn(stage));

    private static string Expand(string value, IReadOnlyDictionary<string, string> variables)
    {
        for (var pass = 0; pass < 5; pass++)
        {
            var expanded = MacroReference().Replace(value, match => variables.TryGetValue(match.Groups[1].Value, out var v) ? v : match.Value);
            expanded = TemplateReference().Replace(expanded, match => variables.TryGetValue(match.Groups[1].Value, out var v) ? v : match.Value);
            if (expanded == value)
            {
                break;
            }

            value = expanded;
        }

        return value;
    }

    /// <summary>The variable a value refers to as a whole ("$(Name)" or "${{ variables.Name }}"), if any.</summary>
    public static string? VariableReferencedBy(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var macro = WholeMacroReference().Match(value.Trim());
        if (macro.Success)
        {
            return macro.Groups[1].Value;
        }

        var template = WholeTemplateReference().Match(value.Trim());
        return template.Success ? template.Groups[1].Value : null;
    }

    public static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Scalar(YamlNode? node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    /// <summary>A scalar or a list of scalars, as a list.</summary>
    public static IReadOnlyList<string> ScalarOrList(YamlNode? node) => node switch
    {
        YamlScalarNode scalar when scalar.Value is not null => [scalar.Value],
        YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(item => item.Value ?? "").ToList(),
        _ => [],
    };

    private static IEnumerable<YamlMappingNode> StepsOf(YamlNode? steps) =>
        (steps as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [];

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"\$\(([A-Za-z0-9_.]+)\)")]
    private static partial Regex MacroReference();

    [GeneratedRegex(@"\$\{\{\s*variables\.([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex TemplateReference();

    [GeneratedRegex(@"^\$\(([A-Za-z0-9_.]+)\)$")]
    private static partial Regex WholeMacroReference();

    [GeneratedRegex(@"^\$\{\{\s*variables\.([A-Za-z0-9_]+)\s*\}\}$")]
    private static partial Regex WholeTemplateReference();
}
