using System.Globalization;
using System.Net;
using System.Text;
using FunctionsHostEmulator.Functions;
using FunctionsHostEmulator.Rpc;
using Microsoft.AspNetCore.Http;

namespace FunctionsHostEmulator.Http;

/// <summary>Writes the worker's RpcHttp result (status, headers, cookies, body) as the HTTP response.</summary>
internal static class HttpResponseWriter
{
    // Framing is Kestrel's job; a worker-set value could contradict the body we write.
    private static readonly HashSet<string> FramingHeaders = new(StringComparer.OrdinalIgnoreCase) { "Content-Length", "Transfer-Encoding", "Connection" };

    /// <summary>The RpcHttp the function produced: its return value, or its "http" output binding.</summary>
    public static RpcHttp? FindHttpResult(InvocationResponse response, HostedFunction function)
    {
        if (response.ReturnValue?.DataCase == TypedData.DataOneofCase.Http)
        {
            return response.ReturnValue.Http;
        }

        var output = response.OutputData.FirstOrDefault(o =>
            string.Equals(o.Name, function.HttpOutputBindingName, StringComparison.Ordinal) && o.Data?.DataCase == TypedData.DataOneofCase.Http)
            ?? response.OutputData.FirstOrDefault(o => o.Data?.DataCase == TypedData.DataOneofCase.Http);
        return output?.Data.Http;
    }

    public static async Task WriteAsync(HttpContext context, RpcHttp result)
    {
        var response = context.Response;
        response.StatusCode = ParseStatus(result.StatusCode);

        foreach (var (name, value) in result.Headers)
        {
            SetHeader(response, name, value);
        }

        foreach (var (name, value) in result.NullableHeaders)
        {
            if (value?.Value is not null)
            {
                SetHeader(response, name, value.Value);
            }
        }

        foreach (var cookie in result.Cookies)
        {
            response.Cookies.Append(cookie.Name, cookie.Value, ToCookieOptions(cookie));
        }

        var body = BodyBytes(result.Body);
        if (body.Length > 0 && !HttpMethods.IsHead(context.Request.Method))
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static void SetHeader(HttpResponse response, string name, string value)
    {
        if (!FramingHeaders.Contains(name))
        {
            response.Headers[name] = value;
        }
    }

    private static int ParseStatus(string statusCode)
    {
        if (string.IsNullOrEmpty(statusCode))
        {
            return StatusCodes.Status200OK;
        }

        if (int.TryParse(statusCode, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 999)
        {
            return code;
        }

        return Enum.TryParse<HttpStatusCode>(statusCode, ignoreCase: true, out var named)
            ? (int)named
            : throw new InvalidDataException($"The worker returned an invalid HTTP status code '{statusCode}'.");
    }

    private static byte[] BodyBytes(TypedData? body) => body?.DataCase switch
    {
        TypedData.DataOneofCase.Bytes => body.Bytes.ToByteArray(),
        TypedData.DataOneofCase.Stream => body.Stream.ToByteArray(),
        TypedData.DataOneofCase.String => Encoding.UTF8.GetBytes(body.String),
        TypedData.DataOneofCase.Json => Encoding.UTF8.GetBytes(body.Json),
        TypedData.DataOneofCase.Int => Encoding.UTF8.GetBytes(body.Int.ToString(CultureInfo.InvariantCulture)),
        TypedData.DataOneofCase.Double => Encoding.UTF8.GetBytes(body.Double.ToString(CultureInfo.InvariantCulture)),
        _ => [],
    };

    private static CookieOptions ToCookieOptions(RpcHttpCookie cookie)
    {
        var options = new CookieOptions
        {
            SameSite = cookie.SameSite switch
            {
                RpcHttpCookie.Types.SameSite.Lax => SameSiteMode.Lax,
                RpcHttpCookie.Types.SameSite.Strict => SameSiteMode.Strict,
                RpcHttpCookie.Types.SameSite.ExplicitNone => SameSiteMode.None,
                _ => SameSiteMode.Unspecified,
            },
        };

        if (cookie.Domain?.HasValue == true)
        {
            options.Domain = cookie.Domain.Value;
        }

        if (cookie.Path?.HasValue == true)
        {
            options.Path = cookie.Path.Value;
        }

        if (cookie.Secure?.HasValue == true)
        {
            options.Secure = cookie.Secure.Value;
        }

        if (cookie.HttpOnly?.HasValue == true)
        {
            options.HttpOnly = cookie.HttpOnly.Value;
        }

        if (cookie.Expires?.Value is { } expires)
        {
            options.Expires = expires.ToDateTimeOffset();
        }

        if (cookie.MaxAge?.HasValue == true)
        {
            options.MaxAge = TimeSpan.FromSeconds(cookie.MaxAge.Value);
        }

        return options;
    }
}
