using CsCheck;
using Lamina.Cli.Processes;

namespace Lamina.Cli.Tests;

public class CommandLineSplitterTests
{
    [Theory]
    [InlineData("dotnet run -- synth", new[] { "dotnet", "run", "--", "synth" })]
    [InlineData("  dotnet\t run \n -- synth  ", new[] { "dotnet", "run", "--", "synth" })]
    [InlineData("dotnet run --project 'stacks/My App' -- synth", new[] { "dotnet", "run", "--project", "stacks/My App", "--", "synth" })]
    [InlineData("dotnet run --project \"stacks/My App\" -- synth", new[] { "dotnet", "run", "--project", "stacks/My App", "--", "synth" })]
    [InlineData("a --name='x y'z", new[] { "a", "--name=x yz" })]
    [InlineData("a \"x\"'y'z", new[] { "a", "xyz" })]
    [InlineData("a '' \"\" b", new[] { "a", "", "", "b" })]
    [InlineData(@"a my\ app", new[] { "a", "my app" })]
    [InlineData(@"a \'q\' \""", new[] { "a", "'q'", "\"" })]
    [InlineData(@"a 'back\slash' ""dq \"" \\ \$ \` \n""", new[] { "a", @"back\slash", @"dq "" \ $ ` \n" })]
    [InlineData("a 'it''s'", new[] { "a", "its" })]
    [InlineData("a 'it'\\''s'", new[] { "a", "it's" })]
    [InlineData("a 'p$HOME|x;y&&z'", new[] { "a", "p$HOME|x;y&&z" })]
    [InlineData("a \"x|y;z>w\"", new[] { "a", "x|y;z>w" })]
    [InlineData("a \\\nb", new[] { "a", "b" })]
    [InlineData("a\\\nb", new[] { "ab" })]
    [InlineData("a \"multi\\\nline\"", new[] { "a", "multiline" })]
    [InlineData("a # a comment\nb", new[] { "a", "b" })]
    [InlineData("a b#c", new[] { "a", "b#c" })]
    [InlineData("a '#c'", new[] { "a", "#c" })]
    [InlineData("~/bin/app *.cs", new[] { "~/bin/app", "*.cs" })]
    [InlineData("", new string[0])]
    [InlineData("   \n\t ", new string[0])]
    [InlineData("# only a comment", new string[0])]
    public void Splits_like_a_posix_shell(string line, string[] expected) =>
        Assert.Equal(expected, CommandLineSplitter.Split(line));

    [Theory]
    [InlineData("a 'unterminated", "unterminated single quote")]
    [InlineData("a \"unterminated", "unterminated double quote")]
    [InlineData("a \"esc \\\"", "unterminated double quote")]
    [InlineData("a \\", "trailing backslash")]
    [InlineData("build && run", "'&'")]
    [InlineData("a | b", "'|'")]
    [InlineData("a; b", "';'")]
    [InlineData("a > out", "'>'")]
    [InlineData("a < in", "'<'")]
    [InlineData("a $(b)", "'$'")]
    [InlineData("a $HOME", "'$'")]
    [InlineData("a \"$HOME\"", "'$'")]
    [InlineData("a `b`", "'`'")]
    [InlineData("(a)", "'('")]
    public void Refuses_what_needs_a_shell_or_is_malformed(string line, string message)
    {
        var e = Assert.Throws<FormatException>(() => CommandLineSplitter.Split(line));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Escaped_operators_are_plain_characters() =>
        Assert.Equal(["a", "&&", "|", "$HOME", "(x)"], CommandLineSplitter.Split(@"a \&\& \| \$HOME \(x\)"));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("--out=a/b.yaml", "--out=a/b.yaml")]
    [InlineData("", "''")]
    [InlineData("my app", "'my app'")]
    [InlineData("it's", "'it'\\''s'")]
    public void Quotes_only_what_needs_it(string arg, string quoted) => Assert.Equal(quoted, CommandLineSplitter.Quote(arg));

    [Fact]
    public void Split_reads_back_any_joined_arguments() =>
        Gen.String.Array[0, 6].Sample(args =>
            CommandLineSplitter.Split(CommandLineSplitter.Join(args)).SequenceEqual(args), iter: 2000);

    [Fact]
    public void Split_reads_back_joined_arguments_made_of_shell_characters() =>
        Gen.Char["ab '\"\\$`|&;<>()#\n\t*~="].Array[0, 8].Select(cs => new string(cs)).Array[1, 5].Sample(args =>
            CommandLineSplitter.Split(CommandLineSplitter.Join(args)).SequenceEqual(args), iter: 2000);
}
