namespace FunctionsHostEmulator;

/// <summary>A function the worker reported, as the host lists it when ready.</summary>
/// <param name="Name">Function name.</param>
/// <param name="TriggerType">Trigger binding type, e.g. httpTrigger.</param>
/// <param name="Methods">Accepted HTTP methods (upper case); empty means any method. Empty for non-HTTP triggers.</param>
/// <param name="Url">The function's URL for HTTP triggers, with route parameters left as templates; null otherwise.</param>
public sealed record FunctionEndpoint(string Name, string TriggerType, IReadOnlyList<string> Methods, Uri? Url);
