using System.Security.Claims;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// An in-memory <see cref="HttpRequestData"/>, the worker's own abstraction, so endpoint tests
/// drive <c>LogoutEndpoint</c> exactly as the worker does, minus the gRPC hop that the
/// end-to-end suite covers.
/// </summary>
public sealed class TestHttpRequest : HttpRequestData
{
    public TestHttpRequest(byte[] body, params (string Name, string Value)[] headers)
        : base(new TestFunctionContext())
    {
        Body = new MemoryStream(body);
        foreach (var (name, value) in headers)
        {
            Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>The invocation's token, as the worker gives it (<c>FunctionContext.CancellationToken</c>).</summary>
    public CancellationToken InvocationCancelled
    {
        init => ((TestFunctionContext)FunctionContext).Cancelled = value;
    }

    public override Stream Body { get; }

    public override HttpHeadersCollection Headers { get; } = [];

    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];

    private const string Address = "http://127.0.0.1/api/logout";

    private Uri _url = new(Address);

    /// <summary>The URL's query string, with its <c>?</c>, as the host forwards it in the URL.</summary>
    public string QueryString
    {
        init => _url = new Uri(Address + value);
    }

    public override Uri Url => _url;

    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];

    public override string Method => "POST";

    public override HttpResponseData CreateResponse() => new TestHttpResponse(FunctionContext);

    private sealed class TestHttpResponse(FunctionContext context) : HttpResponseData(context)
    {
        public override System.Net.HttpStatusCode StatusCode { get; set; }

        public override HttpHeadersCollection Headers { get; set; } = [];

        public override Stream Body { get; set; } = new MemoryStream();

        public override HttpCookies Cookies => throw new NotSupportedException("The logout endpoint sets no cookies.");
    }

    private sealed class TestFunctionContext : FunctionContext
    {
        public CancellationToken Cancelled { get; set; }

        public override CancellationToken CancellationToken => Cancelled;

        public override string InvocationId => "test-invocation";

        public override string FunctionId => "test-function";

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = null!;

        public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }
}
