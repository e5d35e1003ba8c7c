using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Lamina.Aws.Semantics.Messaging;

/// <summary>An IPv4 or IPv6 network in CIDR notation, and strict parsing of IP address text.</summary>
internal sealed class IpCidr
{
    private readonly bool _isIPv6;
    private readonly UInt128 _network;
    private readonly UInt128 _mask;

    private IpCidr(bool isIPv6, UInt128 network, UInt128 mask)
    {
        _isIPv6 = isIPv6;
        _network = network;
        _mask = mask;
    }

    /// <summary>Parses <c>address/prefixLength</c>; host bits in the address are ignored (masked off).</summary>
    public static bool TryParse(string text, out IpCidr? cidr, out string? problem)
    {
        cidr = null;
        var slash = text.IndexOf('/');
        if (slash < 0 || slash != text.LastIndexOf('/'))
        {
            problem = "a CIDR block needs exactly one '/', as in \"10.0.0.0/24\" or \"2001:db8::/32\"";
            return false;
        }

        var addressText = text.AsSpan(0, slash);
        var lengthText = text.AsSpan(slash + 1);
        bool isIPv6;
        UInt128 address;
        if (TryParseIPv4(addressText, out var v4))
        {
            isIPv6 = false;
            address = v4;
        }
        else if (TryParseIPv6(addressText, out var v6))
        {
            isIPv6 = true;
            address = v6;
        }
        else
        {
            problem = $"\"{addressText}\" is not an IPv4 or IPv6 address";
            return false;
        }

        var maxLength = isIPv6 ? 128 : 32;
        if (lengthText.Length is 0 or > 3 || !int.TryParse(lengthText, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var length) || length > maxLength)
        {
            problem = $"the prefix length after '/' must be an integer from 0 to {maxLength} for an " +
                      (isIPv6 ? "IPv6" : "IPv4") + $" network, not \"{lengthText}\"";
            return false;
        }

        var bits = isIPv6 ? 128 : 32;
        var full = isIPv6 ? UInt128.MaxValue : uint.MaxValue;
        var mask = length == 0 ? UInt128.Zero : (full >> (bits - length)) << (bits - length);
        mask &= full;
        cidr = new IpCidr(isIPv6, address & mask, mask);
        problem = null;
        return true;
    }

    /// <summary>Whether <paramref name="value"/> is an IP address (of this network's family) inside the network.</summary>
    public bool Contains(string value)
    {
        if (_isIPv6)
        {
            return value.Contains(':') && TryParseIPv6(value, out var v6) && (v6 & _mask) == _network;
        }

        return TryParseIPv4(value, out var v4) && (v4 & _mask) == _network;
    }

    /// <summary>Strict dotted-quad IPv4: four decimal parts of one to three digits, each at most 255.</summary>
    public static bool TryParseIPv4(ReadOnlySpan<char> text, out UInt128 address)
    {
        address = UInt128.Zero;
        uint result = 0;
        var parts = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            uint part = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                part = (part * 10) + (uint)(text[i] - '0');
                i++;
                if (i - start > 3)
                {
                    return false;
                }
            }

            if (i == start || part > 255)
            {
                return false;
            }

            result = (result << 8) | part;
            parts++;
            if (i == text.Length)
            {
                break;
            }

            if (text[i] != '.' || parts == 4)
            {
                return false;
            }

            i++;
        }

        if (parts != 4)
        {
            return false;
        }

        address = result;
        return true;
    }

    /// <summary>IPv6 text (with ':'; no zone index), as a 128-bit big-endian number.</summary>
    public static bool TryParseIPv6(ReadOnlySpan<char> text, out UInt128 address)
    {
        address = UInt128.Zero;
        if (text.IndexOf(':') < 0 || text.IndexOf('%') >= 0 ||
            !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!parsed.TryWriteBytes(bytes, out var written) || written != 16)
        {
            return false;
        }

        address = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }
}
