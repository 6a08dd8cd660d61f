using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace WalletGrains.Grains.Webhooks;

/// <summary>
/// Which receivers the service may call. A subscription's URL is checked when it is saved, and every connection is
/// checked again against what the host name resolves to at that moment, so a name re-pointed at an internal address
/// (DNS rebinding) is refused. Link-local and cloud metadata addresses are never allowed; loopback and private
/// networks only when configuration allows them.
/// </summary>
internal sealed class WebhookAddressPolicy(IOptions<WebhookOptions> options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    public const int MaxUrlLength = 2048;

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    private static readonly string[] MetadataHosts = ["metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal"];

    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"), IPAddress.Parse("169.254.170.2"), IPAddress.Parse("100.100.100.200"),
        IPAddress.Parse("192.0.0.192"), IPAddress.Parse("fd00:ec2::254"),
    ];

    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    private WebhookOptions Options => options.Value;

    /// <summary>Checks a subscription URL: its form, and the addresses its host is or resolves to now. A host that does not resolve yet is accepted; delivery checks it again.</summary>
    public async Task<DomainError?> Check(string? raw)
    {
        var url = raw?.Trim();
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || string.IsNullOrEmpty(uri.Host)
            || uri.UserInfo.Length > 0
            || uri.Fragment.Length > 0)
        {
            return DomainError.Invalid(
                ErrorCodes.WebhookUrlInvalid,
                $"url must be an absolute http or https URL of at most {MaxUrlLength} characters, without credentials or fragment.",
                "url");
        }

        var host = uri.IdnHost;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            if (Refused(host, null) is { } named)
            {
                return NotAllowed(named);
            }

            using var timeout = new CancellationTokenSource(ResolveTimeout);
            try
            {
                addresses = await _resolve(host, timeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return null;
            }
        }

        return addresses.Select(a => Refused(host, a)).FirstOrDefault(r => r is not null) is { } reason ? NotAllowed(reason) : null;
    }

    /// <summary>The addresses a connection to the host may use; throws when the host resolves to any address that is not allowed.</summary>
    public async Task<IPAddress[]> Resolve(string host, CancellationToken cancellation)
    {
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, cancellation);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{host} resolves to no address.");
        }

        foreach (var address in addresses)
        {
            if (Refused(host, address) is { } reason)
            {
                throw new HttpRequestException($"Refused to connect to {host}: {reason}.");
            }
        }

        return addresses;
    }

    /// <summary>Why the host (or the address it resolved to) may not be called, or null when it may.</summary>
    public string? Refused(string host, IPAddress? address)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        if (MetadataHosts.Contains(host))
        {
            return "a cloud metadata host";
        }

        var explicitlyAllowed = Options.AllowedHosts.Any(h => string.Equals(h.Trim().TrimEnd('.'), host, StringComparison.OrdinalIgnoreCase));
        var loopbackName = host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal);
        if (address is null)
        {
            return loopbackName && !Options.AllowLoopback && !explicitlyAllowed ? "a loopback host" : null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var kind = Classify(address);
        return kind switch
        {
            AddressKind.Public => null,
            AddressKind.Loopback when Options.AllowLoopback || explicitlyAllowed => null,
            AddressKind.Private when Options.AllowPrivateNetworks || explicitlyAllowed => null,
            AddressKind.Loopback => "a loopback address",
            AddressKind.Private => "a private network address",
            AddressKind.Metadata => "a cloud metadata address",
            AddressKind.LinkLocal => "a link-local address",
            _ => "an address that cannot receive webhooks",
        };
    }

    internal static AddressKind Classify(IPAddress address)
    {
        if (MetadataAddresses.Contains(address))
        {
            return AddressKind.Metadata;
        }

        if (IPAddress.IsLoopback(address))
        {
            return AddressKind.Loopback;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return (b[0], b[1]) switch
            {
                (169, 254) => AddressKind.LinkLocal,
                (0, _) or (>= 224, _) => AddressKind.Unusable,
                (10, _) or (192, 168) or (172, >= 16 and <= 31) or (100, >= 64 and <= 127) => AddressKind.Private,
                (192, 0) when b[2] == 0 => AddressKind.Private,
                _ => AddressKind.Public,
            };
        }

        if (address.IsIPv6LinkLocal)
        {
            return AddressKind.LinkLocal;
        }

        var bytes = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6None) || address.IsIPv6Multicast || address.IsIPv6SiteLocal)
        {
            return AddressKind.Unusable;
        }

        return (bytes[0] & 0xFE) == 0xFC ? AddressKind.Private : AddressKind.Public;
    }

    private static DomainError NotAllowed(string reason) =>
        DomainError.Invalid(ErrorCodes.WebhookUrlNotAllowed, $"url points at {reason}; webhooks are only sent to allowed hosts.", "url");
}

/// <summary>What kind of network an address belongs to, as far as webhook receivers go.</summary>
internal enum AddressKind
{
    Public,
    Loopback,
    Private,
    LinkLocal,
    Metadata,
    Unusable,
}
