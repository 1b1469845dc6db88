using FunctionsHostEmulator.Rpc;

namespace FunctionsHostEmulator.Functions;

/// <summary>A function as the emulator hosts it: the worker's metadata, its parsed bindings and, for HTTP triggers, its route.</summary>
internal sealed class HostedFunction
{
    private HostedFunction(RpcFunctionMetadata metadata, string functionId, IReadOnlyList<BindingMetadata> bindings)
    {
        Metadata = metadata;
        FunctionId = functionId;
        Bindings = bindings;
        Trigger = bindings.FirstOrDefault(b => b.IsTrigger && b.Direction == BindingInfo.Types.Direction.In);
        if (Trigger is not null && string.Equals(Trigger.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase))
        {
            // As the host: no route means the function name; no methods means every method.
            var route = Trigger.GetString("route");
            Route = string.IsNullOrWhiteSpace(route) ? Name : route.Trim('/');
            Methods = [.. (Trigger.GetStrings("methods") ?? []).Select(m => m.ToUpperInvariant()).Distinct()];
            HttpOutputBindingName = bindings.FirstOrDefault(b =>
                b.Direction == BindingInfo.Types.Direction.Out && string.Equals(b.Type, "http", StringComparison.OrdinalIgnoreCase))?.Name;
        }
    }

    public RpcFunctionMetadata Metadata { get; }

    public string Name => Metadata.Name;

    public string FunctionId { get; }

    public IReadOnlyList<BindingMetadata> Bindings { get; }

    public BindingMetadata? Trigger { get; }

    public bool IsHttpTriggered => Route is not null;

    /// <summary>Route template without the host's route prefix; null for non-HTTP triggers.</summary>
    public string? Route { get; }

    /// <summary>Accepted methods in upper case; empty means any.</summary>
    public IReadOnlyList<string> Methods { get; } = [];

    /// <summary>Name of the "http" output binding ("$return" for a returned HttpResponseData); null when there is none.</summary>
    public string? HttpOutputBindingName { get; }

    public static HostedFunction FromWorkerMetadata(RpcFunctionMetadata metadata)
    {
        var bindings = metadata.RawBindings.Select(BindingMetadata.Parse).ToList();
        var functionId = string.IsNullOrEmpty(metadata.FunctionId) ? Guid.NewGuid().ToString() : metadata.FunctionId;
        return new HostedFunction(metadata, functionId, bindings);
    }

    /// <summary>The FunctionLoadRequest the host sends for this function.</summary>
    public FunctionLoadRequest ToLoadRequest(string appDirectory)
    {
        var loaded = new RpcFunctionMetadata
        {
            Name = Name,
            FunctionId = FunctionId,
            Directory = string.IsNullOrEmpty(Metadata.Directory) ? appDirectory : Metadata.Directory,
            ScriptFile = string.IsNullOrEmpty(Metadata.ScriptFile) ? string.Empty : Path.GetFullPath(Metadata.ScriptFile, appDirectory),
            EntryPoint = Metadata.EntryPoint,
            Language = Metadata.Language,
        };

        foreach (var binding in Bindings)
        {
            loaded.Bindings[binding.Name] = binding.ToBindingInfo();
        }

        loaded.Properties.Add(Metadata.Properties);
        return new FunctionLoadRequest { FunctionId = FunctionId, Metadata = loaded };
    }
}
