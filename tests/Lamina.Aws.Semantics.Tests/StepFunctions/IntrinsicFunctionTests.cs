using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lamina.Aws.Semantics.StepFunctions;

namespace Lamina.Aws.Semantics.Tests.StepFunctions;

public class IntrinsicFunctionTests
{
    private static JsonNode? Eval(string invocation, string input = "{}", JsonNode? context = null, Random? random = null) =>
        IntrinsicFunction.Parse(invocation).Evaluate(JsonNode.Parse(input), context, random);

    private static string EvalJson(string invocation, string input = "{}") => Eval(invocation, input)?.ToJsonString() ?? "null";

    private static StatesError Fails(string invocation, string input = "{}") =>
        Assert.Throws<StatesError>(() => Eval(invocation, input));

    [Fact]
    public void Format_with_a_literal_template_and_with_a_template_from_the_input()
    {
        const string input = """{ "name": "Arnav", "template": "Hello, my name is {}." }""";
        Assert.Equal("Hello, my name is Arnav.", Eval("States.Format('Hello, my name is {}.', $.name)", input)!.GetValue<string>());
        Assert.Equal("Hello, my name is Arnav.", Eval("States.Format($.template, $.name)", input)!.GetValue<string>());
    }

    [Fact]
    public void Format_renders_non_string_values_and_honours_escapes()
    {
        const string input = """{ "n": 42, "f": 1.5, "b": true, "z": null, "o": { "a": 1, "b": [1, "x"] }, "arr": [1, 2] }""";
        Assert.Equal("42 1.5 true null", Eval("States.Format('{} {} {} {}', $.n, $.f, $.b, $.z)", input)!.GetValue<string>());
        Assert.Equal("{a=1, b=[1, x]} [1, 2]", Eval("States.Format('{} {}', $.o, $.arr)", input)!.GetValue<string>());
        Assert.Equal("It's {literal} \\ 42", Eval("States.Format('It\\'s \\{literal\\} \\\\ {}', $.n)", input)!.GetValue<string>());
    }

    [Fact]
    public void Format_argument_count_must_match_the_placeholders()
    {
        Assert.False(IntrinsicFunction.TryParse("States.Format('{} and {}', $.a)", out _, out var error));
        Assert.Contains("placeholder", error);
        var failure = Fails("States.Format($.t, 1, 2)", """{ "t": "only {}" }""");
        Assert.Equal(StatesErrorNames.IntrinsicFailure, failure.Error);
    }

    [Fact]
    public void StringToJson_and_JsonToString_follow_the_documented_examples()
    {
        Assert.Equal("""{"foo":"bar"}""", EvalJson("States.StringToJson($.escapedJsonString)", """{ "escapedJsonString": "{\"foo\": \"bar\"}" }"""));
        Assert.Equal("{\"foo\":\"bar\"}", Eval("States.JsonToString($.unescapedJson)", """{ "unescapedJson": { "foo": "bar" } }""")!.GetValue<string>());
        Assert.Equal(StatesErrorNames.IntrinsicFailure, Fails("States.StringToJson($.s)", """{ "s": "{not json" }""").Error);
    }

    [Fact]
    public void Array_functions_follow_the_documented_examples()
    {
        const string input = """{ "Id": 123456, "inputArray": [1,2,3,4,5,6,7,8,9], "lookingFor": 5, "index": 5, "dupes": [1,2,3,3,3,3,3,3,4] }""";
        Assert.Equal("[123456]", EvalJson("States.Array($.Id)", input));
        Assert.Equal("""[1,"two",true,null,[1,2,3,4,5,6,7,8,9]]""", EvalJson("States.Array(1, 'two', true, null, $.inputArray)", input));
        Assert.Equal("[]", EvalJson("States.Array()", input));
        Assert.Equal("[[1,2,3,4],[5,6,7,8],[9]]", EvalJson("States.ArrayPartition($.inputArray,4)", input));
        Assert.Equal("true", EvalJson("States.ArrayContains($.inputArray, $.lookingFor)", input));
        Assert.Equal("false", EvalJson("States.ArrayContains($.inputArray, 10)", input));
        Assert.Equal("[1,3,5,7,9]", EvalJson("States.ArrayRange(1, 9, 2)", input));
        Assert.Equal("[9,7,5,3,1]", EvalJson("States.ArrayRange(9, 1, -2)", input));
        Assert.Equal("6", EvalJson("States.ArrayGetItem($.inputArray, $.index)", input));
        Assert.Equal("9", EvalJson("States.ArrayLength($.inputArray)", input));
        Assert.Equal("[1,2,3,4]", EvalJson("States.ArrayUnique($.dupes)", input));
        Assert.Equal("""[{"a":1},{"b":2}]""", EvalJson("States.ArrayUnique($.x)", """{ "x": [ {"a":1}, {"b":2}, {"a":1.0} ] }"""));
    }

    [Fact]
    public void Array_functions_reject_bad_arguments()
    {
        Assert.Equal(StatesErrorNames.IntrinsicFailure, Fails("States.ArrayGetItem($.a, 3)", """{ "a": [1,2,3] }""").Error);
        Assert.Equal(StatesErrorNames.IntrinsicFailure, Fails("States.ArrayLength($.a)", """{ "a": "not an array" }""").Error);
        Assert.Equal(StatesErrorNames.IntrinsicFailure, Fails("States.ArrayRange(1, 2000, 1)").Error);
        Assert.Equal(StatesErrorNames.IntrinsicFailure, Fails("States.ArrayPartition($.a, $.size)", """{ "a": [1], "size": 0 }""").Error);
        Assert.False(IntrinsicFunction.TryParse("States.ArrayRange(1, 9, 0)", out _, out _));
        Assert.False(IntrinsicFunction.TryParse("States.ArrayPartition($.a, 0)", out _, out _));
        Assert.False(IntrinsicFunction.TryParse("States.ArrayLength('abc')", out _, out _));
    }

    [Fact]
    public void Base64_round_trips_the_documented_example()
    {
        Assert.Equal("RGF0YSB0byBlbmNvZGU=", Eval("States.Base64Encode($.input)", """{ "input": "Data to encode" }""")!.GetValue<string>());
        Assert.Equal("Data to encode", Eval("States.Base64Decode($.base64)", """{ "base64": "RGF0YSB0byBlbmNvZGU=" }""")!.GetValue<string>());
        Assert.Equal(StatesErrorNames.IntrinsicFailure, Fails("States.Base64Decode('%%%')").Error);
        Assert.Equal(StatesErrorNames.IntrinsicFailure, Fails("States.Base64Encode($.s)", $$"""{ "s": "{{new string('x', 10_001)}}" }""").Error);
    }

    [Fact]
    public void Hash_supports_every_documented_algorithm()
    {
        const string input = """{ "Data": "input data", "Algorithm": "SHA-1" }""";
        Assert.Equal("aaff4a450a104cd177d28d18d74485e8cae074b7", Eval("States.Hash($.Data, $.Algorithm)", input)!.GetValue<string>());
        Assert.Equal("812f45842bc6d66ee14572ce20db8e86", Eval("States.Hash($.Data, 'MD5')", input)!.GetValue<string>());
        Assert.Equal("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3", Eval("States.Hash($.Data, 'SHA-256')", input)!.GetValue<string>());
        Assert.Equal(96, Eval("States.Hash($.Data, 'SHA-384')", input)!.GetValue<string>().Length);
        Assert.Equal(128, Eval("States.Hash($.Data, 'SHA-512')", input)!.GetValue<string>().Length);
        Assert.False(IntrinsicFunction.TryParse("States.Hash($.Data, 'SHA-999')", out _, out _));
        Assert.Equal(StatesErrorNames.IntrinsicFailure, Fails("States.Hash($.Data, $.Alg)", """{ "Data": "x", "Alg": "CRC32" }""").Error);
    }

    [Fact]
    public void JsonMerge_is_shallow_as_documented()
    {
        const string input = """{ "json1": { "a": {"a1": 1, "a2": 2}, "b": 2 }, "json2": { "a": {"a3": 1, "a4": 2}, "c": 3 } }""";
        Assert.Equal("""{"a":{"a3":1,"a4":2},"b":2,"c":3}""", EvalJson("States.JsonMerge($.json1, $.json2, false)", input));
        Assert.Equal(StatesErrorNames.IntrinsicFailure, Fails("States.JsonMerge($.json1, $.json2, true)", input).Error);
    }

    [Fact]
    public void Math_functions()
    {
        Assert.Equal("110", EvalJson("States.MathAdd($.value1, $.step)", """{ "value1": 111, "step": -1 }"""));
        Assert.Equal("3", EvalJson("States.MathAdd(1.5, 1.4)"));
        for (var i = 0; i < 50; i++)
        {
            var value = Eval("States.MathRandom($.start, $.end)", """{ "start": 1, "end": 999 }""")!.GetValue<long>();
            Assert.InRange(value, 1, 999);
        }

        Assert.Equal(EvalJson("States.MathRandom(1, 1000000, 7)"), EvalJson("States.MathRandom(1, 1000000, 7)"));
        Assert.Equal("5", EvalJson("States.MathRandom(5, 5)"));
    }

    [Fact]
    public void StringSplit_follows_the_documented_examples()
    {
        Assert.Equal("""["1","2","3","4","5"]""", EvalJson("States.StringSplit($.inputString, $.splitter)", """{ "inputString": "1,2,3,4,5", "splitter": "," }"""));
        Assert.Equal("""["This","is","a","test","string"]""", EvalJson("States.StringSplit($.inputString, $.splitter)", """{ "inputString": "This.is+a,test=string", "splitter": ".+,=" }"""));
    }

    [Fact]
    public void UUID_is_a_version_4_uuid_and_deterministic_with_a_seeded_random()
    {
        var uuid = Eval("States.UUID()", random: new Random(1))!.GetValue<string>();
        Assert.Matches(new Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"), uuid);
        Assert.Equal(uuid, Eval("States.UUID()", random: new Random(1))!.GetValue<string>());
        Assert.NotEqual(uuid, Eval("States.UUID()", random: new Random(2))!.GetValue<string>());
    }

    [Fact]
    public void Nested_invocations_like_the_documented_nine_deep_example()
    {
        const string input = """{ "ImageRecipe": { "Arn": "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.3" } }""";
        const string invocation = "States.Format('{}.{}.{}', " +
            "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), " +
            "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1), " +
            "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 2))";
        Assert.Equal("1.0.3", Eval(invocation, input)!.GetValue<string>());
    }

    [Fact]
    public void Nesting_deeper_than_ten_is_rejected()
    {
        var ten = string.Concat(Enumerable.Repeat("States.Array(", 10)) + string.Concat(Enumerable.Repeat(")", 10));
        Assert.True(IntrinsicFunction.TryParse(ten, out _, out _));
        var eleven = "States.Array(" + ten + ")";
        Assert.False(IntrinsicFunction.TryParse(eleven, out _, out var error));
        Assert.Contains("nested", error);
    }

    [Fact]
    public void Arguments_can_be_context_paths_numbers_booleans_and_null()
    {
        var context = JsonNode.Parse("""{ "Execution": { "Id": "arn:exec" } }""");
        Assert.Equal("arn:exec!", Eval("States.Format('{}!', $$.Execution.Id)", context: context)!.GetValue<string>());
        Assert.Equal("""[-1.5,2e3,false,null]""".Replace("2e3", "2000"), EvalJson("States.Array(-1.5, 2e3, false, null)"));
        Assert.Equal("""["a,b"]""", EvalJson("States.Array($['a,b'])", """{ "a,b": "a,b" }"""));
    }

    [Theory]
    [InlineData("States.Unknown()", "unknown")]
    [InlineData("States.Array(", "unterminated")]
    [InlineData("States.UUID(1)", "argument")]
    [InlineData("States.Format('a\\n')", "escape")]
    [InlineData("States.Format('open", "unterminated")]
    [InlineData("States.Array(1) extra", "after")]
    [InlineData("States.Array($.a b)", "path")]
    [InlineData("States.Array(#)", "unexpected")]
    public void Rejects_malformed_invocations(string invocation, string expectedInError)
    {
        Assert.False(IntrinsicFunction.TryParse(invocation, out _, out var error));
        Assert.Contains(expectedInError, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_path_argument_that_selects_nothing_is_a_runtime_error()
    {
        Assert.Equal(StatesErrorNames.Runtime, Fails("States.Array($.missing)").Error);
    }
}
