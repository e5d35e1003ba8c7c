using System.Text;
using Lamina.Aws.Semantics.Messaging;
using static Lamina.Aws.Semantics.Tests.Messaging.FilterPolicyTestKit;

namespace Lamina.Aws.Semantics.Tests.Messaging;

public class FilterPolicyValidationTests
{
    private const FilterPolicyScope Body = FilterPolicyScope.MessageBody;

    [Theory]
    [InlineData("""{"a": ["x", 1, -2.5, true, false, null]}""")]
    [InlineData("""{"a": [{"prefix": ""}, {"suffix": "z"}, {"equals-ignore-case": "Q"}]}""")]
    [InlineData("""{"a": [{"anything-but": "x"}, {"anything-but": 3}, {"anything-but": ["x", "y"]}, {"anything-but": [1, 2]}, {"anything-but": {"prefix": "p"}}]}""")]
    [InlineData("""{"a": [{"numeric": ["=", 0]}, {"numeric": ["<", -1e9]}, {"numeric": [">=", 0, "<", 1000000000]}]}""")]
    [InlineData("""{"a": [{"exists": true}], "b": [{"exists": false}]}""")]
    [InlineData("""{"a": [{"cidr": "10.0.0.0/8"}, {"cidr": "::/0"}, {"cidr": "fe80::1/128"}]}""")]
    [InlineData("""{"a": ["x"], "$or": [{"b": ["y"]}, {"c": ["z"]}]}""")]
    [InlineData("""{"a1": ["x"], "a2": ["x"], "a3": ["x"], "a4": ["x"], "a5": ["x"]}""")]
    public void Valid_attribute_policies_are_accepted(string json)
    {
        Assert.Empty(FilterPolicy.Validate(json, FilterPolicyScope.MessageAttributes));
        Assert.True(FilterPolicy.Parse(json, FilterPolicyScope.MessageAttributes).IsValid);
    }

    [Fact]
    public void Unknown_operator_names_its_path()
    {
        var error = SingleError("""{"color": ["red", {"startswith": "bl"}]}""", "$.color[1].startswith", "unknown operator \"startswith\"");
        Assert.Contains("prefix, suffix, equals-ignore-case, anything-but, numeric, exists and cidr", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wildcard")]
    [InlineData("exact")]
    public void EventBridge_only_operators_are_rejected(string op) =>
        SingleError($$"""{"a": [{"{{op}}": "x*"}]}""", $"$.a[0].{op}", "EventBridge", "do not support");

    [Theory]
    [InlineData("""{"a": [{"prefix": 5}]}""", "$.a[0].prefix", "prefix takes a string, not the number 5")]
    [InlineData("""{"a": [{"suffix": null}]}""", "$.a[0].suffix", "suffix takes a string, not null")]
    [InlineData("""{"a": [{"suffix": ["x", "y"]}]}""", "$.a[0].suffix", "suffix takes a string, not an array")]
    [InlineData("""{"a": [{"equals-ignore-case": {"x": 1}}]}""", "$.a[0].equals-ignore-case", "takes a string")]
    [InlineData("""{"a": [{"exists": "yes"}]}""", "$.a[0].exists", "exists takes true or false")]
    [InlineData("""{"a": [{"exists": null}]}""", "$.a[0].exists", "exists takes true or false")]
    [InlineData("""{"a": [{"cidr": 10}]}""", "$.a[0].cidr", "cidr takes a string")]
    public void Wrong_argument_types_are_rejected(string json, string path, string fragment) =>
        SingleError(json, path, fragment);

    [Theory]
    [InlineData("10.0.0.0", "exactly one '/'")]
    [InlineData("10.0.0.0/8/8", "exactly one '/'")]
    [InlineData("10.0.0.0/33", "0 to 32")]
    [InlineData("10.0.0.0/-1", "0 to 32")]
    [InlineData("10.0.0.0/abc", "0 to 32")]
    [InlineData("10.0.0.0/", "0 to 32")]
    [InlineData("300.1.1.1/8", "not an IPv4 or IPv6 address")]
    [InlineData("10.0.1/24", "not an IPv4 or IPv6 address")]
    [InlineData("2001:db8::/129", "0 to 128")]
    [InlineData("2001:db8:::1/64", "not an IPv4 or IPv6 address")]
    [InlineData("fe80::1%eth0/64", "not an IPv4 or IPv6 address")]
    public void Invalid_cidr_blocks_are_rejected(string cidr, string fragment) =>
        SingleError($$"""{"ip": [{"cidr": "{{cidr}}"}]}""", "$.ip[0].cidr", "invalid CIDR block", fragment);

    [Theory]
    [InlineData("""[">", 10, "<", 5]""", "$.n[0].numeric", "lower bound 10 must be less than the upper bound 5")]
    [InlineData("""[">=", 7, "<=", 7]""", "$.n[0].numeric", "must be less than")]
    [InlineData("""["<", 100, ">", 10]""", "$.n[0].numeric[2]", "lower bound (> or >=) comes first")]
    [InlineData("""[">=", 1, ">", 2]""", "$.n[0].numeric[2]", "must be an upper bound (< or <=)")]
    [InlineData("""[">", 20, 30]""", "$.n[0].numeric[2]", "expected an upper-bound operator")]
    [InlineData("""[">", 20, "<="]""", "$.n[0].numeric", "\"<=\" must be followed by a number")]
    [InlineData("""[">", 1, "<", 5, "<", 9]""", "$.n[0].numeric[4]", "at most four elements")]
    [InlineData("""["=", 5, 6]""", "$.n[0].numeric[2]", "takes a single number")]
    [InlineData("""["=", "5"]""", "$.n[0].numeric[1]", "must be followed by a number")]
    [InlineData("""[">", 20, "<", "30"]""", "$.n[0].numeric[3]", "must be followed by a number")]
    [InlineData("""[">="]""", "$.n[0].numeric", "must be followed by a number")]
    [InlineData("""[]""", "$.n[0].numeric", "numeric needs an operator")]
    [InlineData("""["~", 1]""", "$.n[0].numeric[0]", "unknown numeric operator \"~\"")]
    [InlineData("""[1, "<="]""", "$.n[0].numeric[0]", "expected a numeric operator")]
    [InlineData("""[">", 1e10]""", "$.n[0].numeric[1]", "between -1,000,000,000 and 1,000,000,000")]
    [InlineData("""["<", -1000000000.5]""", "$.n[0].numeric[1]", "between -1,000,000,000 and 1,000,000,000")]
    [InlineData("""5""", "$.n[0].numeric", "numeric takes an array")]
    public void Malformed_numeric_expressions_are_rejected(string numeric, string path, string fragment) =>
        SingleError($$"""{"n": [{"numeric": {{numeric}}}]}""", path, fragment);

    [Theory]
    [InlineData("""{"a": [{"anything-but": {"suffix": "x"}}]}""", "$.a[0].anything-but.suffix", "only \"prefix\" inside anything-but")]
    [InlineData("""{"a": [{"anything-but": {"equals-ignore-case": "x"}}]}""", "$.a[0].anything-but.equals-ignore-case", "only \"prefix\"")]
    [InlineData("""{"a": [{"anything-but": {"exists": false}}]}""", "$.a[0].anything-but.exists", "unknown operator \"exists\" inside anything-but")]
    [InlineData("""{"a": [{"anything-but": {"prefix": false}}]}""", "$.a[0].anything-but.prefix", "must be a string")]
    [InlineData("""{"a": [{"anything-but": {"prefix": ""}}]}""", "$.a[0].anything-but.prefix", "must not be empty")]
    [InlineData("""{"a": [{"anything-but": {"prefix": "x", "suffix": "y"}}]}""", "$.a[0].anything-but", "exactly one operator")]
    [InlineData("""{"a": [{"anything-but": ["x", 1]}]}""", "$.a[0].anything-but", "only strings or only numbers")]
    [InlineData("""{"a": [{"anything-but": ["x", null]}]}""", "$.a[0].anything-but[1]", "only strings or only numbers, not null")]
    [InlineData("""{"a": [{"anything-but": [["x"]]}]}""", "$.a[0].anything-but[0]", "not an array")]
    [InlineData("""{"a": [{"anything-but": []}]}""", "$.a[0].anything-but", "list is empty")]
    [InlineData("""{"a": [{"anything-but": true}]}""", "$.a[0].anything-but", "not true")]
    [InlineData("""{"a": [{"anything-but": [5, 2000000000]}]}""", "$.a[0].anything-but[1]", "between -1,000,000,000 and 1,000,000,000")]
    public void Malformed_anything_but_is_rejected(string json, string path, string fragment) =>
        SingleError(json, path, fragment);

    [Fact]
    public void Match_expression_needs_exactly_one_operator()
    {
        SingleError("""{"a": [{"prefix": "x", "suffix": "y"}]}""", "$.a[0]", "exactly one operator", "\"prefix\", \"suffix\"");
        SingleError("""{"a": [{}]}""", "$.a[0]", "empty object is not a match expression");
    }

    [Fact]
    public void Key_values_must_be_arrays_or_objects()
    {
        SingleError("""{"a": "x"}""", "$.a", "\"a\" must be an object or an array", "\"a\": [\"x\"]");
        SingleError("""{"a": 5}""", Body, "$.a", "must be an object or an array");
        SingleError("""{"a": {"prefix": "x"}}""", Body, "$.a.prefix", "put {\"prefix\": ...} inside the parent key's array");
    }

    [Fact]
    public void Empty_arrays_and_objects_and_nested_arrays_are_rejected()
    {
        SingleError("""{"a": []}""", "$.a", "empty arrays are not allowed");
        SingleError("""{"a": {}}""", Body, "$.a", "empty objects are not allowed");
        SingleError("{}", "$", "empty object");
        SingleError("""{"a": [["x"]]}""", "$.a[0]", "arrays cannot be nested");
    }

    [Fact]
    public void Attribute_scope_rejects_nested_objects()
    {
        SingleError("""{"order": {"state": ["open"]}}""", "$.order", "nested objects are only allowed when FilterPolicyScope is MessageBody");
        SingleError("""{"order": {"prefix": "x"}}""", "$.order", "must be inside an array", "\"order\": [{\"prefix\": \"x\"}]");
        Assert.Empty(FilterPolicy.Validate("""{"order": {"state": ["open"]}}""", Body));
    }

    [Fact]
    public void Or_with_a_single_sub_policy_is_rejected()
    {
        SingleError("""{"a": ["x"], "$or": [{"b": ["y"]}]}""", "$.$or", "at least two sub-policies");
        SingleError("""{"d": {"$or": [{"b": ["y"]}]}}""", Body, "$.d.$or", "at least two sub-policies");
    }

    [Fact]
    public void Or_elements_must_all_be_objects()
    {
        SingleError("""{"$or": [{"b": ["y"]}, "c", {"d": ["z"]}]}""", "$.$or[1]", "must be an object (a sub-policy)");
        SingleError("""{"$or": [{"b": ["y"]}, {}]}""", "$.$or[1]", "empty objects are not allowed");
    }

    [Fact]
    public void Errors_inside_or_branches_name_the_branch()
    {
        SingleError("""{"$or": [{"b": ["y"]}, {"c": [{"numeric": [">", "x"]}]}]}""", "$.$or[1].c[0].numeric[1]", "must be followed by a number");
    }

    [Fact]
    public void Too_many_combinations_in_one_key()
    {
        var values = string.Join(", ", Enumerable.Range(0, 151).Select(i => $"\"v{i}\""));
        SingleError($$"""{"a": [{{values}}]}""", "$", "total combination of values is 151", "at most 150");

        var exactly150 = string.Join(", ", Enumerable.Range(0, 150).Select(i => $"\"v{i}\""));
        Assert.Equal(150, AttributePolicy($$"""{"a": [{{exactly150}}]}""").Combinations);
    }

    [Fact]
    public void Combinations_multiply_across_keys()
    {
        var hundred = string.Join(", ", Enumerable.Range(0, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        SingleError($$"""{"a": [{{hundred}}], "b": ["x", "y"]}""", "$", "total combination of values is 200");
    }

    [Fact]
    public void Body_combinations_weigh_each_array_by_its_nesting_depth()
    {
        // 4 values three levels deep (4 x 3) times 3 values two levels deep (3 x 2) = 72.
        const string Nested = """
            {
              "k1": {"k2": {"k3": ["a", "b", "c", "d"]}},
              "k4": {"k5": ["a", "b", "c"]}
            }
            """;
        Assert.Equal(72, BodyPolicy(Nested).Combinations);

        // Adding a top-level key with three values: 72 x 3 = 216.
        const string TooMany = """
            {
              "k1": {"k2": {"k3": ["a", "b", "c", "d"]}},
              "k4": {"k5": ["a", "b", "c"]},
              "k6": ["a", "b", "c"]
            }
            """;
        SingleError(TooMany, Body, "$", "total combination of values is 216", "nesting depth");
    }

    [Fact]
    public void Or_branches_add_up_their_combinations()
    {
        // src x (name + type x (id + space)) = 3 x (6 + 4 x (4 + 7)) = 150: accepted.
        const string AtLimit = """
            {
              "src": ["s1", "s2", "s3"],
              "$or": [
                {"name": ["n1", "n2", "n3", "n4", "n5", "n6"]},
                {"type": ["t1", "t2", "t3", "t4"], "$or": [{"id": [1, 2, 3, 4]}, {"space": [1, 2, 3, 4, 5, 6, 7]}]}
              ]
            }
            """;
        Assert.Equal(150, AttributePolicy(AtLimit).Combinations);

        // One more source value: 4 x 50 = 200.
        SingleError(AtLimit.Replace("\"s3\"", "\"s3\", \"s4\"", StringComparison.Ordinal), "$", "total combination of values is 200");

        // One more space value instead: 3 x (6 + 4 x (4 + 8)) = 162.
        SingleError(AtLimit.Replace("5, 6, 7]", "5, 6, 7, 8]", StringComparison.Ordinal), "$", "total combination of values is 162");
    }

    [Fact]
    public void Attribute_scope_allows_at_most_five_keys()
    {
        SingleError("""{"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"]}""", "$",
            "6 attribute names", "\"f\"", "at most 5");
        SingleError("""{"a": ["1"], "b": ["1"], "c": ["1"], "$or": [{"d": ["1"]}, {"e": ["1"], "f": ["1"], "g": ["1"]}]}""", "$",
            "6 attribute names", "\"g\"");
        Assert.Empty(FilterPolicy.Validate("""{"a": ["1"], "b": ["1"], "c": ["1"], "$or": [{"d": ["1"]}, {"e": ["1"], "f": ["1"]}]}""",
            FilterPolicyScope.MessageAttributes));
    }

    [Fact]
    public void Body_scope_counts_only_top_level_keys()
    {
        const string FourTopLevel = """
            {
              "state": ["OK"],
              "severity": [{"exists": true}],
              "message": [{"exists": true}],
              "finding": {"control": [{"exists": true}], "region": [{"exists": true}], "account": [{"exists": true}]}
            }
            """;
        Assert.Equal(4, BodyPolicy(FourTopLevel).KeyCount);
        SingleError("""{"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": {"x": ["1"]}, "f": ["1"]}""", Body, "$",
            "6 top-level keys", "nested keys do not count");
    }

    [Fact]
    public void Oversized_policies_are_rejected()
    {
        var big = new string('x', 262_144);
        var error = SingleError($$"""{"a": ["{{big}}"]}""", "$", "262,144 bytes (256 KB)");
        Assert.Contains("262,155 bytes", error.Message, StringComparison.Ordinal);

        var justFits = new string('x', 262_144 - 11);
        Assert.Equal(262_144, Encoding.UTF8.GetByteCount($$"""{"a": ["{{justFits}}"]}"""));
        Assert.Empty(FilterPolicy.Validate($$"""{"a": ["{{justFits}}"]}""", FilterPolicyScope.MessageAttributes));
    }

    [Fact]
    public void Json_that_is_not_an_object_is_rejected()
    {
        SingleError("""{"a": ["x"]""", "$", "not valid JSON");
        SingleError("""{"a": ["x"],}""", "$", "not valid JSON");
        SingleError("""["a"]""", "$", "must be a JSON object", "not an array");
        SingleError("\"policy\"", "$", "must be a JSON object");
    }

    [Fact]
    public void Duplicate_keys_are_rejected()
    {
        SingleError("""{"a": ["x"], "a": ["y"]}""", "$.a", "duplicate key \"a\"");
    }

    [Fact]
    public void Paths_quote_keys_that_are_not_simple_names()
    {
        SingleError("""{"my key": [{"prefix": 1}]}""", "$['my key'][0].prefix", "prefix takes a string");
        SingleError("""{"a.b": [{"prefix": 1}]}""", Body, "$['a.b'][0].prefix", "prefix takes a string");
        SingleError("""{"it's": [[]]}""", "$['it\\'s'][0]", "arrays cannot be nested");
    }

    [Fact]
    public void Body_paths_follow_the_nesting()
    {
        SingleError("""{"order": {"lines": {"qty": [{"numeric": [">", "1"]}]}}}""", Body,
            "$.order.lines.qty[0].numeric[1]", "must be followed by a number");
    }

    [Fact]
    public void Every_error_is_reported_not_only_the_first()
    {
        const string Json = """
            {
              "a": [{"nope": 1}],
              "b": [{"numeric": [">", 9, "<", 3]}],
              "c": [{"cidr": "1.2.3.4"}],
              "d": "plain",
              "$or": [{"e": ["x"]}]
            }
            """;
        var errors = Errors(Json);
        Assert.Equal(
            ["$.a[0].nope", "$.b[0].numeric", "$.c[0].cidr", "$.d", "$.$or"],
            errors.Select(e => e.Path).ToArray());
    }

    [Fact]
    public void Compile_throws_with_every_error_and_validate_lists_them()
    {
        const string Json = """{"a": [{"prefix": 1}], "b": []}""";
        var exception = Assert.Throws<FilterPolicyException>(() => FilterPolicy.Compile(Json, FilterPolicyScope.MessageAttributes));
        Assert.Equal(2, exception.Errors.Count);
        Assert.Contains("$.a[0].prefix: prefix takes a string", exception.Message, StringComparison.Ordinal);
        Assert.Contains("$.b: empty arrays", exception.Message, StringComparison.Ordinal);
        Assert.Equal(exception.Errors, FilterPolicy.Validate(Json, FilterPolicyScope.MessageAttributes));
        Assert.Equal("$.b: " + exception.Errors[1].Message, exception.Errors[1].ToString());
    }

    [Fact]
    public void Scope_must_be_known()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FilterPolicy.Parse("""{"a": ["x"]}""", (FilterPolicyScope)7));
        Assert.Throws<ArgumentNullException>(() => FilterPolicy.Parse(null!, FilterPolicyScope.MessageBody));
    }
}
