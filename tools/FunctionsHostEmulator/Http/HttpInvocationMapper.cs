using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FunctionsHostEmulator.Functions;
using FunctionsHostEmulator.Rpc;
using FunctionsHostEmulator.Worker;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FunctionsHostEmulator.Http;

/// <summary>
/// Turns an HTTP request into the InvocationRequest the host sends for an HTTP trigger: an RpcHttp
/// as the trigger's input data (lower-cased headers, query and route params in the nullable maps
/// when the worker asks for them, the body as bytes when it asks for raw bytes), route params as
/// trigger metadata, and a trace context.
/// </summary>
internal static class HttpInvocationMapper
{
    public static async Task<InvocationRequest> CreateRequestAsync(
        HttpContext context,
        HostedFunction function,
        RouteValueDictionary routeValues,
        WorkerCapabilities capabilities,
        string invocationId)
    {
        var request = context.Request;
        var routeParams = routeValues
            .Where(p => p.Value is not null)
            .Select(p => (p.Key, Value: Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty))
            .ToList();

        // The host's trigger binding reads the body before the invocation in both HTTP models.
        var body = await ReadBodyAsync(request).ConfigureAwait(false);
        var http = capabilities.HttpUri is null
            ? ToRpcHttp(request, routeParams, body, capabilities)
            : ToProxiedRpcHttp(routeParams, capabilities);

        var invocation = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            TraceContext = TraceContextFactory.Create(request),
        };
        invocation.InputData.Add(new ParameterBinding { Name = function.Trigger!.Name, Data = new TypedData { Http = http } });

        // The HTTP binding's binding data: route params by name (so the worker can bind them to
        // function parameters), plus Query and Headers as JSON; the request itself only for workers
        // that did not say they build it from the input data.
        foreach (var (name, value) in routeParams)
        {
            invocation.TriggerMetadata[name] = new TypedData { String = value };
        }

        invocation.TriggerMetadata["Query"] = new TypedData { Json = ToJson(request.Query.Select(q => (q.Key, q.Value.ToString()))) };
        invocation.TriggerMetadata["Headers"] = new TypedData { Json = ToJson(request.Headers.Select(h => (h.Key, h.Value.ToString()))) };
        if (!capabilities.RpcHttpTriggerMetadataRemoved)
        {
            invocation.TriggerMetadata[function.Trigger.Name] = new TypedData { Http = http };
        }

        return invocation;
    }

    private static RpcHttp ToRpcHttp(HttpRequest request, List<(string Key, string Value)> routeParams, byte[] body, WorkerCapabilities capabilities)
    {
        var http = new RpcHttp
        {
            Method = request.Method,
            Url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}",
        };

        foreach (var (name, values) in request.Headers)
        {
            AddEntry(http.Headers, http.NullableHeaders, name.ToLowerInvariant(), values.ToString(), capabilities, skipEmpty: capabilities.IgnoreEmptyValuedRpcHttpHeaders);
        }

        foreach (var (name, values) in request.Query)
        {
            // Without nullable maps the host leaves out empty query values.
            AddEntry(http.Query, http.NullableQuery, name, values.ToString(), capabilities, skipEmpty: true);
        }

        foreach (var (name, value) in routeParams)
        {
            AddEntry(http.Params, http.NullableParams, name, value, capabilities, skipEmpty: false);
        }

        if (body.Length > 0)
        {
            SetBody(http, body, request.ContentType, capabilities);
        }

        return http;
    }

    /// <summary>What the host sends a worker it forwards HTTP to: an empty RpcHttp, with route parameters only when asked.</summary>
    private static RpcHttp ToProxiedRpcHttp(List<(string Key, string Value)> routeParams, WorkerCapabilities capabilities)
    {
        var http = new RpcHttp();
        if (capabilities.RequiresRouteParameters)
        {
            foreach (var (name, value) in routeParams)
            {
                AddEntry(http.Params, http.NullableParams, name, value, capabilities, skipEmpty: false);
            }
        }

        return http;
    }

    private static void AddEntry(
        MapField<string, string> plain,
        MapField<string, NullableString> nullable,
        string name,
        string value,
        WorkerCapabilities capabilities,
        bool skipEmpty)
    {
        if (capabilities.UseNullableValueDictionaryForHttp)
        {
            nullable[name] = new NullableString { Value = value };
        }
        else if (!(skipEmpty && string.IsNullOrEmpty(value)))
        {
            plain[name] = value;
        }
    }

    /// <summary>
    /// The body, only when the request declares a Content-Length above zero, as the host's
    /// <c>GrpcMessageConversionExtensions.ToRpcHttp</c> does: a chunked body is never read and the
    /// worker gets none, while its headers (Transfer-Encoding among them) still go through.
    /// Reading past the request's size limit throws Kestrel's <see cref="BadHttpRequestException"/>.
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is not > 0)
        {
            return [];
        }

        // Read whole, as the host's binding does (HttpRequestExtensions.ReadAsStringAsync), and put
        // back for a forwarding host to send on to the worker.
        using var buffer = new MemoryStream((int)Math.Min(request.ContentLength.Value, 81_920));
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        request.Body = new MemoryStream(body, writable: false);
        return body;
    }

    private static void SetBody(RpcHttp http, byte[] body, string? contentType, WorkerCapabilities capabilities)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType : null;
        var isBinary = string.Equals(mediaType, "application/octet-stream", StringComparison.OrdinalIgnoreCase)
            || (mediaType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) ?? false);

        if (capabilities.RpcHttpBodyOnly)
        {
            http.Body = isBinary || capabilities.RawHttpBodyBytes
                ? new TypedData { Bytes = ByteString.CopyFrom(body) }
                : new TypedData { String = Encoding.UTF8.GetString(body) };
            return;
        }

        // Older shape: a typed body (JSON parsed when it is JSON) plus rawBody.
        var text = Encoding.UTF8.GetString(body);
        if (isBinary)
        {
            http.Body = new TypedData { Bytes = ByteString.CopyFrom(body) };
        }
        else if (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase) && IsJson(text))
        {
            http.Body = new TypedData { Json = text };
        }
        else
        {
            http.Body = new TypedData { String = text };
        }

        http.RawBody = capabilities.RawHttpBodyBytes
            ? new TypedData { Bytes = ByteString.CopyFrom(body) }
            : new TypedData { String = text };
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string ToJson(IEnumerable<(string Key, string Value)> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in pairs)
        {
            map[key] = value;
        }

        return JsonSerializer.Serialize(map);
    }
}
