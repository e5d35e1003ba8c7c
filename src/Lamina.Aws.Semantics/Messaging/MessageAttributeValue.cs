using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lamina.Aws.Semantics.Messaging;

/// <summary>
/// One SNS message attribute as seen by subscription filtering: its data type and its string value.
/// </summary>
/// <param name="DataType">
/// The SNS data type: <c>String</c>, <c>String.Array</c>, <c>Number</c> or <c>Binary</c>, optionally with a custom
/// label after a dot (<c>Number.float</c>, <c>String.json</c>). <c>String.Array</c> is matched exactly and means the
/// value is a JSON array.
/// </param>
/// <param name="StringValue">
/// The attribute's value as text: the string itself, the number's text, or the JSON array text for
/// <c>String.Array</c>. Binary attributes carry no string value and are ignored by filtering.
/// </param>
public sealed record MessageAttributeValue(string DataType, string? StringValue)
{
    /// <summary>Creates a <c>String</c> attribute.</summary>
    /// <param name="value">The string value.</param>
    /// <returns>The attribute.</returns>
    public static MessageAttributeValue FromString(string value) => new("String", value);

    /// <summary>Creates a <c>Number</c> attribute from the number's text (for example <c>"3.015e2"</c>).</summary>
    /// <param name="value">The number as SNS would receive it.</param>
    /// <returns>The attribute.</returns>
    public static MessageAttributeValue FromNumber(string value) => new("Number", value);

    /// <summary>Creates a <c>Number</c> attribute.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The attribute.</returns>
    public static MessageAttributeValue FromNumber(double value) =>
        new("Number", value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Creates a <c>String.Array</c> attribute whose value is the JSON array of the given strings.</summary>
    /// <param name="values">The array elements.</param>
    /// <returns>The attribute.</returns>
    public static MessageAttributeValue FromStringArray(params IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return new("String.Array", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Creates a <c>Binary</c> attribute; SNS filtering ignores binary attributes.</summary>
    /// <returns>The attribute.</returns>
    public static MessageAttributeValue Binary() => new("Binary", null);
}
