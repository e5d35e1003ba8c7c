using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;

namespace Lamina.Aws.Semantics.Tests.StepFunctions;

public class JsonPathTests
{
    private static readonly JsonNode Store = JsonNode.Parse("""
    {
      "store": {
        "book": [
          { "category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95 },
          { "category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99 },
          { "category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99 },
          { "category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99 }
        ],
        "bicycle": { "color": "red", "price": 19.95 }
      },
      "expensive": 10,
      "abc": { "def ghi": "spaced", "it's": "quoted" }
    }
    """)!;

    private static string Select(string path, JsonNode? root = null)
    {
        Assert.True(JsonPath.Parse(path).TrySelect(root ?? Store, out var value), $"{path} selected nothing");
        return value is null ? "null" : value.ToJsonString();
    }

    [Fact]
    public void Reference_paths_from_the_documentation()
    {
        var input = JsonNode.Parse("""{ "foo": 123, "bar": ["a", "b", "c"], "car": { "cdr": true } }""");
        Assert.Equal("123", Select("$.foo", input));
        Assert.Equal("""["a","b","c"]""", Select("$.bar", input));
        Assert.Equal("true", Select("$.car.cdr", input));
        Assert.Equal(input!.ToJsonString(), Select("$", input));
    }

    [Fact]
    public void Bracket_notation_selects_names_with_special_characters()
    {
        Assert.Equal("\"spaced\"", Select("$.abc.['def ghi']"));
        Assert.Equal("\"spaced\"", Select("$['abc'][\"def ghi\"]"));
        Assert.Equal("\"quoted\"", Select("$.abc['it\\'s']"));
    }

    [Fact]
    public void Indexes_negative_indexes_unions_and_slices()
    {
        Assert.Equal("\"Nigel Rees\"", Select("$.store.book[0].author"));
        Assert.Equal("\"The Lord of the Rings\"", Select("$.store.book[-1].title"));
        Assert.Equal("""["Nigel Rees","Herman Melville"]""", Select("$.store.book[0,2].author"));
        Assert.Equal("""["Evelyn Waugh","Herman Melville"]""", Select("$.store.book[1:3].author"));
        Assert.Equal("""["Nigel Rees","Evelyn Waugh"]""", Select("$.store.book[:2].author"));
        Assert.Equal("""["Herman Melville","J. R. R. Tolkien"]""", Select("$.store.book[-2:].author"));
        Assert.Equal("""["Nigel Rees","Herman Melville"]""", Select("$.store.book[::2].author"));
        Assert.Equal("""["red",19.95]""", Select("$.store.bicycle['color','price']"));
    }

    [Fact]
    public void Wildcards_and_deep_scan()
    {
        Assert.Equal("""["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]""", Select("$.store.book[*].author"));
        Assert.Equal("""["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]""", Select("$..author"));
        Assert.Equal("""[8.95,12.99,8.99,22.99,19.95]""", Select("$.store..price"));
        Assert.Equal("""["red",19.95]""", Select("$.store.bicycle.*"));
        Assert.Equal(4, JsonPath.Parse("$..book[*]").SelectAll(Store).Count);
    }

    [Fact]
    public void Filters_compare_numbers_strings_existence_and_regexes()
    {
        Assert.Equal("""["Sayings of the Century","Moby Dick"]""", Select("$.store.book[?(@.price < 10)].title"));
        Assert.Equal("""["Moby Dick"]""", Select("$.store.book[?(@.category == 'fiction' && @.price < 10)].title"));
        Assert.Equal("""["Moby Dick","The Lord of the Rings"]""", Select("$.store.book[?(@.isbn)].title"));
        Assert.Equal("""["Sayings of the Century","Sword of Honour"]""", Select("$.store.book[?(!@.isbn)].title"));
        Assert.Equal("""["Sword of Honour","The Lord of the Rings"]""", Select("$.store.book[?(@.price > $.expensive)].title"));
        Assert.Equal("""["Herman Melville"]""", Select("$.store.book[?(@.author =~ /^h.*/i)].author"));
        Assert.Equal("""["Sayings of the Century","Sword of Honour"]""", Select("$.store.book[?(@.category == \"reference\" || @.price == 12.99)].title"));
        Assert.Equal("[2,3]", Select("$[?(@ > 1)]", JsonNode.Parse("[1,2,3]")));
    }

    [Fact]
    public void Flattening_an_array_of_arrays_as_documented()
    {
        var branches = JsonNode.Parse("""[ [1, 2, 3], [4, 5, 6], [7, 8, 9] ]""");
        Assert.Equal("[1,2,3,4,5,6,7,8,9]", Select("$[*][*]", branches));
    }

    [Fact]
    public void Definite_paths_fail_when_nothing_is_there_and_indefinite_paths_give_empty_arrays()
    {
        Assert.False(JsonPath.Parse("$.nope").TrySelect(Store, out _));
        Assert.False(JsonPath.Parse("$.store.book[10]").TrySelect(Store, out _));
        Assert.False(JsonPath.Parse("$.expensive.deeper").TrySelect(Store, out _));
        Assert.Equal("[]", Select("$.store.book[?(@.price > 100)]"));
        Assert.Equal("null", Select("$.v", JsonNode.Parse("""{ "v": null }""")));
    }

    [Fact]
    public void Classifies_definite_reference_and_context_paths()
    {
        var reference = JsonPath.Parse("$.a['b c'][0]");
        Assert.True(reference.IsDefinite);
        Assert.True(reference.IsReferencePath);
        Assert.False(reference.IsContextPath);

        Assert.False(JsonPath.Parse("$.a[*]").IsReferencePath);
        Assert.False(JsonPath.Parse("$..a").IsReferencePath);
        Assert.False(JsonPath.Parse("$.a[0,1]").IsReferencePath);
        Assert.False(JsonPath.Parse("$.a[1:2]").IsReferencePath);
        Assert.False(JsonPath.Parse("$.a[?(@.b)]").IsReferencePath);

        var context = JsonPath.Parse("$$.Execution.Id");
        Assert.True(context.IsContextPath);
        Assert.True(context.IsReferencePath);
        Assert.True(JsonPath.Parse("$$").IsRoot);
    }

    [Theory]
    [InlineData("")]
    [InlineData("foo")]
    [InlineData("$.")]
    [InlineData("$..")]
    [InlineData("$[")]
    [InlineData("$['unterminated")]
    [InlineData("$.a[?(@.x >)]")]
    [InlineData("$.a b")]
    [InlineData("$.a[1:2:0]")]
    [InlineData("$.a.length()")]
    [InlineData("$x")]
    public void Rejects_malformed_paths(string path)
    {
        Assert.False(JsonPath.TryParse(path, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => JsonPath.Parse(path));
    }

    [Fact]
    public void Hyphenated_names_work_in_dot_notation_like_the_Map_example()
    {
        var input = JsonNode.Parse("""{ "detail": { "delivery-partner": "UQS" } }""");
        Assert.Equal("\"UQS\"", Select("$.detail.delivery-partner", input));
    }

    [Fact]
    public void Indefinite_results_are_copies_and_do_not_alias_the_input()
    {
        var input = JsonNode.Parse("""{ "a": [ { "b": 1 } ] }""")!;
        JsonPath.Parse("$.a[*]").TrySelect(input, out var copy);
        ((JsonObject)copy![0]!)["b"] = 2;
        Assert.Equal(1, input["a"]![0]!["b"]!.GetValue<int>());
    }
}
