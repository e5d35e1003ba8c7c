using static Lamina.Aws.Semantics.Tests.Messaging.FilterPolicyTestKit;

namespace Lamina.Aws.Semantics.Tests.Messaging;

public class CidrMatchingTests
{
    [Theory]
    [InlineData("192.168.40.1", true)]
    [InlineData("192.168.47.255", true)]
    [InlineData("192.168.48.0", false)]
    [InlineData("192.168.39.255", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("192.168.40", false)]
    [InlineData("192.168.40.1.5", false)]
    [InlineData("192.168.040.256", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("not-an-ip", false)]
    public void IPv4_cidr(string value, bool expected)
    {
        const string Json = """{"client_ip": [{"cidr": "192.168.40.0/21"}]}""";
        Assert.Equal(expected, AttributePolicy(Json).Matches(StringAttribute("client_ip", value)));
        Assert.Equal(expected, BodyPolicy(Json).MatchesJson($$"""{"client_ip": "{{value}}"}"""));
    }

    [Theory]
    [InlineData("2001:db8:abcd:12::1", true)]
    [InlineData("2001:db8:abcd:12:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:abcd:13::", false)]
    [InlineData("2001:DB8:ABCD:0012::9", true)]
    [InlineData("192.168.40.1", false)]
    public void IPv6_cidr(string value, bool expected) =>
        Assert.Equal(expected, AttributePolicy("""{"ip": [{"cidr": "2001:db8:abcd:12::/64"}]}""").Matches(StringAttribute("ip", value)));

    [Fact]
    public void Host_bits_in_the_network_address_are_ignored_and_edges_work()
    {
        Assert.True(AttributePolicy("""{"ip": [{"cidr": "10.1.2.3/8"}]}""").Matches(StringAttribute("ip", "10.200.0.1")));
        Assert.True(AttributePolicy("""{"ip": [{"cidr": "0.0.0.0/0"}]}""").Matches(StringAttribute("ip", "8.8.8.8")));
        Assert.True(AttributePolicy("""{"ip": [{"cidr": "8.8.8.8/32"}]}""").Matches(StringAttribute("ip", "8.8.8.8")));
        Assert.False(AttributePolicy("""{"ip": [{"cidr": "8.8.8.8/32"}]}""").Matches(StringAttribute("ip", "8.8.8.9")));
    }

    [Fact]
    public void Cidr_applies_to_strings_only()
    {
        Assert.False(BodyPolicy("""{"ip": [{"cidr": "0.0.0.0/0"}]}""").MatchesJson("""{"ip": 1234}"""));
    }
}
