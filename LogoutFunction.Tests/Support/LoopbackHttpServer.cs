using System.Net;
using DevStorage;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// An HTTP listener on a free 127.0.0.1 port that hands each request to <c>answer</c>, one at a
/// time, until disposed; a client that goes away mid-answer does not stop it.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Action<HttpListenerContext> _answer;
    private readonly Task _serving;

    public LoopbackHttpServer(Action<HttpListenerContext> answer)
    {
        _answer = answer;
        Port = LoopbackPort.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                _answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client went away mid-answer; the next one is served all the same.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
