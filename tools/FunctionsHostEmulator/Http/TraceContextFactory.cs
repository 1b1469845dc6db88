using System.Diagnostics;
using System.Globalization;
using FunctionsHostEmulator.Rpc;
using Microsoft.AspNetCore.Http;

namespace FunctionsHostEmulator.Http;

/// <summary>
/// The W3C trace context the host puts on every invocation (it always sets one; the worker starts
/// its invocation activity from it). An incoming traceparent is continued with a new span, as the
/// host's ASP.NET Core request activity would; otherwise a new trace starts.
/// </summary>
internal static class TraceContextFactory
{
    private static readonly string ProcessId = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    public static RpcTraceContext Create(HttpRequest request)
    {
        var traceParent = request.Headers.TraceParent.ToString();
        var traceState = request.Headers.TraceState.ToString();
        var hasParent = ActivityContext.TryParse(traceParent, traceState, out var parent);

        var traceId = hasParent ? parent.TraceId : ActivityTraceId.CreateRandom();
        var flags = hasParent ? parent.TraceFlags : ActivityTraceFlags.None;
        var spanId = ActivitySpanId.CreateRandom();
        var context = new RpcTraceContext
        {
            TraceParent = "00-" + traceId.ToHexString() + "-" + spanId.ToHexString() + "-" + ((int)flags).ToString("x2", CultureInfo.InvariantCulture),
            TraceState = hasParent ? parent.TraceState ?? string.Empty : string.Empty,
        };
        context.Attributes["ProcessId"] = ProcessId;
        return context;
    }
}
