namespace LogoutFunction.Logout;

/// <summary>A logout call, free of HTTP types: the two headers that matter and the body.</summary>
/// <param name="Authorization">The <c>Authorization</c> header as sent, if any.</param>
/// <param name="ContentType">The <c>Content-Type</c> header, if any.</param>
/// <param name="Body">At most <see cref="MaxBodyBytes"/> + 1 bytes: one more than allowed is enough to know it is too large.</param>
public sealed record LogoutRequest(string? Authorization, string? ContentType, ReadOnlyMemory<byte> Body)
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// The request announced a body that did not reach the function whole: the Functions host
    /// forwards a body only when it has a <c>Content-Length</c>, so a chunked one arrives empty.
    /// </summary>
    public bool BodyLost { get; init; }

    /// <summary>Every value of the <c>scope</c> query parameter, decoded, in order: none for a URL without it.</summary>
    public IReadOnlyList<string> Scope { get; init; } = [];
}
