namespace LogoutFunction.Tests.Support;

/// <summary>What <see cref="FaultProxy"/> does to a request on its way to the store.</summary>
public abstract record StoreFault
{
    /// <summary>Passes every request through.</summary>
    public static readonly StoreFault None = new PassThrough();

    /// <summary>No listener: new connections are refused, established ones reset.</summary>
    public static readonly StoreFault Refuse = new Refused();

    /// <summary>Reads the request and never answers.</summary>
    public static readonly StoreFault Blackhole = new Silent();

    /// <summary>Forwards the request (so the store carries it out), then resets the connection before any answer.</summary>
    public static readonly StoreFault ResetBeforeAnswer = new LostAnswer(BytesOfAnswer: 0);

    /// <summary>Forwards the request, sends part of the store's answer, then resets the connection.</summary>
    public static readonly StoreFault ResetMidAnswer = new LostAnswer(BytesOfAnswer: 12);

    /// <summary>Answers as the Table service does when it refuses (never forwards).</summary>
    public static StoreFault Status(int status, string errorCode) => new Answer(status, errorCode);

    /// <summary>Answers as something that is not the Table service: an HTML page, no error code (never forwards).</summary>
    public static StoreFault GatewayPage(int status) => new Answer(status, ErrorCode: null);

    /// <summary>Waits, then passes the request through.</summary>
    public static StoreFault Delay(TimeSpan delay) => new Delayed(delay);

    /// <summary>Applies <paramref name="fault"/> to every <paramref name="n"/>th request and passes the others through.</summary>
    public static StoreFault OneIn(int n, StoreFault fault) => new Periodic(n, fault);

    /// <summary>Applies <paramref name="fault"/> to the next request only.</summary>
    public static StoreFault Once(StoreFault fault) => new Periodic(int.MaxValue, fault, FirstOnly: true);

    public sealed record PassThrough : StoreFault;

    public sealed record Refused : StoreFault;

    public sealed record Silent : StoreFault;

    public sealed record LostAnswer(int BytesOfAnswer) : StoreFault;

    public sealed record Answer(int StatusCode, string? ErrorCode) : StoreFault;

    public sealed record Delayed(TimeSpan Duration) : StoreFault;

    public sealed record Periodic(int N, StoreFault Fault, bool FirstOnly = false) : StoreFault;
}
