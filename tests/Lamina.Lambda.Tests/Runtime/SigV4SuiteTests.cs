using System.Text;
using Lamina.Lambda.Invoke;

namespace Lamina.Lambda.Tests.Runtime;

/// <summary>
/// AWS's Signature Version 4 test suite (aws-sig-v4-test-suite): credentials AKIDEXAMPLE /
/// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830T123600Z, us-east-1, service "service". The expected
/// canonical requests (.creq), strings to sign (.sts) and Authorization headers (.authz) are the suite's published
/// values, as shipped with AWS's SDK test fixtures and the suite's documentation page.
/// </summary>
public sealed class SigV4SuiteTests
{
    private static readonly AwsCredentials SuiteCredentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private const string Scope = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
    private const string StsPrefix = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n";
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const string SessionToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    public sealed record Vector(
        string Name, string Method, string Path, string Query, (string Name, string Value)[] Headers, string Body,
        string? CanonicalRequest, string? StringToSignHash, string SignedHeaders, string Signature)
    {
        public override string ToString() => Name;
    }

    private static (string, string)[] Base(params (string, string)[] extra) =>
        [("Host", "example.amazonaws.com"), .. extra, ("X-Amz-Date", "20150830T123600Z")];

    public static TheoryData<Vector> Vectors => new()
    {
        new Vector("get-vanilla", "GET", "/", "", Base(), "",
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyHash,
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        new Vector("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1", Base(), "",
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyHash,
            "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
            "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        new Vector("get-header-value-trim", "GET", "/", "", Base(("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")), "",
            "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n" + EmptyHash,
            "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
            "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        new Vector("get-header-key-duplicate", "GET", "/", "",
            Base(("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1")), "",
            "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n" + EmptyHash,
            "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
            "host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        new Vector("post-vanilla", "POST", "/", "", Base(), "",
            "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptyHash,
            "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
            "host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        new Vector("post-x-www-form-urlencoded", "POST", "/", "",
            [("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
            "Param1=value1",
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
            "content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
        new Vector("post-x-www-form-urlencoded-parameters", "POST", "/", "",
            [("Content-Type", "application/x-www-form-urlencoded; charset=utf8"), ("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")],
            "Param1=value1",
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf8\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            "2e1cf7ed91881a30569e46552437e4156c823447bf1781b921b5d486c568dd1c",
            "content-type;host;x-amz-date", "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"),
        new Vector("post-sts-header-before", "POST", "/", "", Base(("X-Amz-Security-Token", SessionToken)), "",
            "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:" + SessionToken +
            "\n\nhost;x-amz-date;x-amz-security-token\n" + EmptyHash,
            "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
            "host;x-amz-date;x-amz-security-token", "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"),
        // The remaining vectors check the Authorization header only.
        new Vector("get-utf8", "GET", "/\u1234", "", Base(), "", null, null,
            "host;x-amz-date", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        new Vector("get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "", Base(), "", null, null,
            "host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        new Vector("get-vanilla-query-unreserved", "GET", "/",
            "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            Base(), "", null, null,
            "host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        new Vector("get-vanilla-utf8-query", "GET", "/", "\u1234=bar", Base(), "", null, null,
            "host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        new Vector("post-header-value-case", "POST", "/", "", Base(("My-Header1", "VALUE1")), "", null, null,
            "host;my-header1;x-amz-date", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Reproduces_the_published_canonical_request_string_to_sign_and_authorization(Vector vector)
    {
        var request = new SigV4Request
        {
            Method = vector.Method,
            Path = vector.Path,
            Query = vector.Query,
            Headers = vector.Headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList(),
            PayloadHash = SigV4Signer.HashPayload(Encoding.UTF8.GetBytes(vector.Body)),
        };

        var signature = SigV4Signer.Sign(request, SuiteCredentials, "us-east-1", "service", SuiteTime);

        if (vector.CanonicalRequest is not null)
        {
            Assert.Equal(vector.CanonicalRequest, signature.CanonicalRequest);
        }

        if (vector.StringToSignHash is not null)
        {
            Assert.Equal(StsPrefix + vector.StringToSignHash, signature.StringToSign);
        }

        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders={vector.SignedHeaders}, Signature={vector.Signature}",
            signature.Authorization);
    }

    [Fact]
    public void Signs_an_HttpRequestMessage_like_the_suite_post_x_www_form_urlencoded_vector()
    {
        var body = "Param1=value1"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/")
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");

        var signature = SigV4Signer.SignHttpRequest(request, body, SuiteCredentials, "us-east-1", "service", SuiteTime);

        Assert.Equal("42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281", signature.StringToSign.Split('\n')[3]);
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential={Scope}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            Assert.Single(request.Headers.GetValues("Authorization")));
        Assert.Equal("20150830T123600Z", Assert.Single(request.Headers.GetValues("X-Amz-Date")));
    }

    [Fact]
    public void Signs_the_session_token_of_temporary_credentials_like_the_suite_post_sts_header_before_vector()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");

        var signature = SigV4Signer.SignHttpRequest(request, [], SuiteCredentials with { SessionToken = SessionToken },
            "us-east-1", "service", SuiteTime);

        Assert.Equal(SessionToken, Assert.Single(request.Headers.GetValues("X-Amz-Security-Token")));
        Assert.Equal("85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead", signature.Signature);
    }

    [Fact]
    public void A_different_secret_or_date_gives_a_different_signature()
    {
        var request = new SigV4Request
        {
            Method = "GET", Path = "/", Headers = [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z")],
            PayloadHash = SigV4Signer.EmptyPayloadHash,
        };
        var reference = SigV4Signer.Sign(request, SuiteCredentials, "us-east-1", "service", SuiteTime).Signature;

        Assert.NotEqual(reference, SigV4Signer.Sign(request, SuiteCredentials with { SecretAccessKey = "other" }, "us-east-1", "service", SuiteTime).Signature);
        Assert.NotEqual(reference, SigV4Signer.Sign(request, SuiteCredentials, "us-east-1", "service", SuiteTime.AddDays(1)).Signature);
        Assert.NotEqual(reference, SigV4Signer.Sign(request, SuiteCredentials, "eu-west-1", "service", SuiteTime).Signature);
    }

    [Fact]
    public void Credentials_never_print_the_secret()
    {
        var text = (SuiteCredentials with { SessionToken = "tok" }).ToString();

        Assert.Contains("AKIDEXAMPLE", text);
        Assert.DoesNotContain("wJalrXUtnFEMI", text);
        Assert.DoesNotContain("tok", text);
    }
}
