using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lamina.Lambda.Events;

/// <summary>
/// Base class of every object inside an AWS event. Fields that this library does not model are not lost:
/// they are kept in <see cref="AdditionalProperties"/> and written back when the object is serialized, so an
/// event that AWS extends with new fields still deserializes and round-trips unchanged.
/// </summary>
public abstract class LambdaEventObject
{
    /// <summary>
    /// JSON fields of this object that have no matching property (for example fields AWS added after this
    /// library was written), or null when there are none.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
