namespace FunctionsHostEmulator.Worker;

/// <summary>
/// Capabilities the worker announced in its WorkerInitResponse. The host changes the shape of the
/// messages it sends by these (names as in the host's RpcWorkerConstants); a capability counts as
/// present when its value is non-empty.
/// </summary>
internal sealed class WorkerCapabilities(IReadOnlyDictionary<string, string> values)
{
    public static readonly WorkerCapabilities None = new(new Dictionary<string, string>());

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    /// <summary>Headers, query and params go in the nullable_* maps instead of the plain ones.</summary>
    public bool UseNullableValueDictionaryForHttp => Has("UseNullableValueDictionaryForHttp");

    /// <summary>Only RpcHttp.body is sent, not rawBody.</summary>
    public bool RpcHttpBodyOnly => Has("RpcHttpBodyOnly");

    /// <summary>The body is sent as bytes whatever its content type.</summary>
    public bool RawHttpBodyBytes => Has("RawHttpBodyBytes");

    /// <summary>Headers with empty values are left out (plain maps only).</summary>
    public bool IgnoreEmptyValuedRpcHttpHeaders => Has("IgnoreEmptyValuedRpcHttpHeaders");

    /// <summary>The worker builds the HTTP trigger metadata itself; the host need not send the request twice.</summary>
    public bool RpcHttpTriggerMetadataRemoved => Has("RpcHttpTriggerMetadataRemoved");

    public bool HandlesInvocationCancelMessage => Has("HandlesInvocationCancelMessage");

    /// <summary>
    /// Where the worker serves HTTP itself (ASP.NET Core integration): the host then forwards each
    /// request there and sends only an empty RpcHttp over gRPC. Null for the built-in HTTP model.
    /// </summary>
    public Uri? HttpUri => Has("HttpUri") && Uri.TryCreate(Values["HttpUri"], UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>With <see cref="HttpUri"/>: the empty RpcHttp still carries the route parameters.</summary>
    public bool RequiresRouteParameters => Has("RequiresRouteParameters");

    public bool HandlesWorkerTerminateMessage => Has("HandlesWorkerTerminateMessage");

    private bool Has(string name) => Values.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value);
}
