using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lamina.Lambda.Serialization;

/// <summary>Writes <see cref="LambdaVoid"/> as JSON <c>null</c> and reads any JSON value as <see cref="LambdaVoid.Value"/>.</summary>
public sealed class LambdaVoidJsonConverter : JsonConverter<LambdaVoid>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override LambdaVoid Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        reader.Skip();
        return LambdaVoid.Value;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, LambdaVoid value, JsonSerializerOptions options) => writer.WriteNullValue();
}
