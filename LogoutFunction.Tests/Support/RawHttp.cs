using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// Sends bytes over one loopback TCP connection exactly as given, for requests that HttpClient
/// refuses to send (a Content-Length that lies, a body without any length), and reads every
/// answer until the server closes or a bounded wait ends.
/// </summary>
public static partial class RawHttp
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The status codes of the answers received, in order.</summary>
    public static async Task<IReadOnlyList<int>> ExchangeAsync(Uri server, string head, byte[] body, bool closeAfterSending)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(Patience);
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n") + "\r\n"), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);
        if (closeAfterSending)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The server kept the connection open, or reset it after answering: what arrived is the answer.
        }

        return [.. StatusLine().Matches(Encoding.ASCII.GetString(received.ToArray())).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex(@"HTTP/1\.1 (\d{3}) ")]
    private static partial Regex StatusLine();
}
