using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using WalletGrains.Grains.Webhooks;

namespace WalletGrains.UnitTests.Webhooks;

/// <summary>
/// URL rules of webhook subscriptions: http(s) only; never link-local or metadata addresses; loopback and private
/// networks only when configuration allows them; and the same rules again at connect time, against what the host name
/// resolves to then (DNS rebinding).
/// </summary>
public sealed class WebhookAddressTests
{
    private static WebhookAddressPolicy Policy(Action<WebhookOptions>? configure = null, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        var options = new WebhookOptions();
        configure?.Invoke(options);
        return new WebhookAddressPolicy(Options.Create(options), resolve ?? WebhookNetwork.Resolve);
    }

    [Theory]
    [InlineData("ftp://receiver.example/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("receiver.example/hook")]
    [InlineData("/relative/hook")]
    [InlineData("https://user:password@receiver.example/hook")]
    [InlineData("https://receiver.example/hook#part")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task A_url_that_is_not_plain_http_or_https_is_invalid(string? url)
    {
        var error = await Policy().Check(url);

        Assert.Equal(ErrorCodes.WebhookUrlInvalid, error?.Code);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://169.254.10.20/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[::ffff:169.254.169.254]/hook")]
    [InlineData("http://[fd00:ec2::254]/hook")]
    [InlineData("http://100.100.100.200/hook")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://224.0.0.1/hook")]
    public async Task Link_local_and_metadata_addresses_are_refused_even_when_everything_else_is_allowed(string url)
    {
        var policy = Policy(o =>
        {
            o.AllowLoopback = true;
            o.AllowPrivateNetworks = true;
            o.AllowedHosts.Add("169.254.169.254");
            o.AllowedHosts.Add("metadata.google.internal");
        });

        Assert.Equal(ErrorCodes.WebhookUrlNotAllowed, (await policy.Check(url))?.Code);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://127.10.0.1/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://localhost:5000/hook")]
    [InlineData("http://api.localhost/hook")]
    public async Task Loopback_is_refused_unless_configuration_allows_it(string url)
    {
        Assert.Equal(ErrorCodes.WebhookUrlNotAllowed, (await Policy().Check(url))?.Code);
        Assert.Null(await Policy(o => o.AllowLoopback = true, (_, _) => Task.FromResult(new[] { IPAddress.Loopback })).Check(url));
    }

    [Theory]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.16.0.9/hook")]
    [InlineData("http://172.31.255.1/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://[fd12:3456::1]/hook")]
    public async Task Private_networks_are_refused_unless_configuration_allows_them(string url)
    {
        Assert.Equal(ErrorCodes.WebhookUrlNotAllowed, (await Policy().Check(url))?.Code);
        Assert.Null(await Policy(o => o.AllowPrivateNetworks = true).Check(url));
    }

    [Fact]
    public async Task A_host_listed_in_AllowedHosts_may_resolve_to_a_private_address()
    {
        static Task<IPAddress[]> Internal(string host, CancellationToken _) => Task.FromResult(new[] { IPAddress.Parse("10.0.0.7") });

        Assert.Equal(ErrorCodes.WebhookUrlNotAllowed, (await Policy(resolve: Internal).Check("https://hooks.internal.example/in"))?.Code);
        Assert.Null(await Policy(o => o.AllowedHosts.Add("hooks.internal.example"), Internal).Check("https://hooks.internal.example/in"));
        Assert.Equal(ErrorCodes.WebhookUrlNotAllowed, (await Policy(o => o.AllowedHosts.Add("hooks.internal.example"), Internal).Check("https://other.example/in"))?.Code);
    }

    [Theory]
    [InlineData("https://receiver.example/hooks/wallets")]
    [InlineData("http://203.0.113.10:8443/hook?token=abc")]
    [InlineData("https://[2001:db8::10]/hook")]
    public async Task Public_http_and_https_receivers_are_accepted(string url)
    {
        Assert.Null(await Policy().Check(url));
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_refused_address_is_refused_when_the_subscription_is_saved()
    {
        var policy = Policy(resolve: (_, _) => Task.FromResult(new[] { IPAddress.Parse("203.0.113.5"), IPAddress.Parse("169.254.169.254") }));

        Assert.Equal(ErrorCodes.WebhookUrlNotAllowed, (await policy.Check("https://mixed.example/hook"))?.Code);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_at_delivery_time_is_refused_at_connect_time()
    {
        // A real loopback receiver that answers 204, reachable only when the policy lets the connection through.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Serve(listener);
        var cancellation = TestContext.Current.CancellationToken;
        static Task<IPAddress[]> Rebound(string host, CancellationToken _) => Task.FromResult(new[] { IPAddress.Loopback });

        using (var refused = new HttpClient(WebhookSender.CreateHandler(Policy(resolve: Rebound), TimeSpan.FromSeconds(5))))
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => refused.GetAsync(new Uri($"http://rebound.example:{port}/hook"), cancellation));
            Assert.Contains("loopback", error.ToString(), StringComparison.Ordinal);
        }

        using var allowed = new HttpClient(WebhookSender.CreateHandler(Policy(o => o.AllowLoopback = true, Rebound), TimeSpan.FromSeconds(5)));
        using var answer = await allowed.GetAsync(new Uri($"http://rebound.example:{port}/hook"), cancellation);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        listener.Stop();
        await serving;
    }

    /// <summary>Answers every connection's first request with 204 until the listener stops.</summary>
    private static async Task Serve(TcpListener listener)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var buffer = new byte[4096];
                var read = 0;
                while (!Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal) && read < buffer.Length)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(read));
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                await stream.WriteAsync("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The listener stopped.
        }
    }
}
