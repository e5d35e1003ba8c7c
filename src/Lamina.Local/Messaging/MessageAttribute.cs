using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lamina.Local.Messaging;

/// <summary>
/// One message attribute of an SQS message or an SNS publish: its data type and its string or binary value.
/// </summary>
public sealed record MessageAttribute
{
    /// <summary>
    /// <c>String</c>, <c>Number</c> or <c>Binary</c>, optionally with a custom label after a dot (<c>Number.int</c>);
    /// SNS also has <c>String.Array</c> (a JSON array in <see cref="StringValue"/>).
    /// </summary>
    public required string DataType { get; init; }

    /// <summary>The value of a <c>String</c> or <c>Number</c> attribute.</summary>
    public string? StringValue { get; init; }

    /// <summary>The value of a <c>Binary</c> attribute.</summary>
    public byte[]? BinaryValue { get; init; }

    /// <summary>A <c>String</c> attribute.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The attribute.</returns>
    public static MessageAttribute String(string value) => new() { DataType = "String", StringValue = value };

    /// <summary>A <c>Number</c> attribute from the number's text.</summary>
    /// <param name="value">The number as sent, for example <c>"3.015e2"</c>.</param>
    /// <returns>The attribute.</returns>
    public static MessageAttribute Number(string value) => new() { DataType = "Number", StringValue = value };

    /// <summary>A <c>Number</c> attribute.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The attribute.</returns>
    public static MessageAttribute Number(double value) =>
        new() { DataType = "Number", StringValue = value.ToString("R", CultureInfo.InvariantCulture) };

    /// <summary>A <c>Binary</c> attribute.</summary>
    /// <param name="value">The bytes.</param>
    /// <returns>The attribute.</returns>
    public static MessageAttribute Binary(byte[] value) => new() { DataType = "Binary", BinaryValue = value };

    /// <summary>An SNS <c>String.Array</c> attribute holding the JSON array of the given strings.</summary>
    /// <param name="values">The elements.</param>
    /// <returns>The attribute.</returns>
    public static MessageAttribute StringArray(params IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return new() { DataType = "String.Array", StringValue = Encoding.UTF8.GetString(stream.ToArray()) };
    }

    /// <summary>Whether the data type is <c>Binary</c> or a labelled <c>Binary.x</c>.</summary>
    internal bool IsBinary => BaseType(DataType) == "Binary";

    internal static string BaseType(string dataType)
    {
        var dot = dataType.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? dataType : dataType[..dot];
    }

    /// <summary>The value as SNS shows it in envelopes and Lambda events: the text, or base64 for binary values.</summary>
    internal string DisplayValue => IsBinary ? Convert.ToBase64String(BinaryValue ?? []) : StringValue ?? "";
}
