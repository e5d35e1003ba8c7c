using System.Text;

namespace Lamina.Resources;

/// <summary>
/// How a resource's Pulumi logical name is derived from its construct path.
/// </summary>
/// <remarks>
/// <para>The rule:</para>
/// <list type="number">
/// <item>Take the ids on the path below the stack: <c>shop/Api/GetOrder/Route</c> gives <c>Api</c>, <c>GetOrder</c>, <c>Route</c>.</item>
/// <item>Drop every id equal to <see cref="Construct.DefaultChildId"/> ("Resource"): a construct's main resource takes the construct's own name.</item>
/// <item>Join the rest with '-': <c>Api-GetOrder-Route</c>. (Ids use only letters, digits, '-' and '_', so the name is safe in
/// <c>${...}</c> references and in every AWS physical name Pulumi derives from it.)</item>
/// <item>When Pulumi turns the name into a physical name (it appends '-' and 7 random characters) and AWS limits that name's
/// length (64 for Lambda functions and IAM roles, 80 for queues, 63 for buckets, …), a longer name is cut and ends with
/// '-' and 8 hex digits of a SHA-256 of the full path, so it stays unique and fits.</item>
/// </list>
/// <para>The name depends on the resource's own path only, so adding, removing or reordering other constructs never renames
/// a resource. Two paths can still give one name (<c>a-b/c</c> and <c>a/b-c</c>): synthesis reports that as an error
/// naming both paths.</para>
/// </remarks>
public static class LogicalNames
{
    /// <summary>Pulumi's auto-naming suffix: '-' and 7 random characters.</summary>
    public const int AutoNameSuffixLength = 8;

    /// <summary>The logical name of <paramref name="resource"/>.</summary>
    public static string For(Resource resource)
    {
        // One pass up the tree to count the kept ids and their length; a single id (a resource directly under its
        // stack, or a construct's main resource) is the name itself, so no string is built for it.
        var count = 0;
        var length = 0;
        string? single = null;
        for (Construct? c = resource; c is not null && c is not Stack; c = c.Scope)
        {
            if (c.Id != Construct.DefaultChildId)
            {
                count++;
                length += c.Id.Length;
                single = c.Id;
            }
        }
        var name = count switch
        {
            0 => Construct.DefaultChildId,
            1 => single!,
            _ => string.Create(length + count - 1, resource, static (span, r) =>
            {
                // Fill from the end: the ids are met from the resource up to its stack.
                var at = span.Length;
                for (Construct? c = r; c is not null && c is not Stack; c = c.Scope)
                {
                    if (c.Id != Construct.DefaultChildId)
                    {
                        if (at < span.Length)
                        {
                            span[--at] = '-';
                        }
                        at -= c.Id.Length;
                        c.Id.AsSpan().CopyTo(span[at..]);
                    }
                }
            }),
        };
        var max = resource.PhysicalNameMaxLength;
        return max > 0 && name.Length > max - AutoNameSuffixLength ? Fit(name, resource.Path, max - AutoNameSuffixLength) : name;
    }

    /// <summary>
    /// An explicit physical name for constructs that set one (functions, FIFO queues and topics, APIs):
    /// <c>&lt;project&gt;-&lt;stack&gt;-&lt;ids below the stack, joined by '-'&gt;</c>, characters outside [A-Za-z0-9_-] turned
    /// into '-', cut with a hash of the path so that it and <paramref name="suffix"/> fit in <paramref name="max"/> characters.
    /// </summary>
    public static string PhysicalName(Construct construct, int max, string suffix = "")
    {
        var ids = new List<string>();
        for (Construct? x = construct; x is not null and not Stack; x = x.Scope)
        {
            ids.Add(x.Id);
        }
        ids.Reverse();
        var raw = $"{construct.App.ProjectName}-{construct.App.StackName}-{string.Join('-', ids)}";
        var clean = new StringBuilder(raw.Length);
        foreach (var ch in raw)
        {
            clean.Append(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' ? ch : '-');
        }
        return Fit(clean.ToString(), construct.Path, max - suffix.Length) + suffix;
    }

    /// <summary>
    /// The short hash names and ids carry when they are cut or would clash: the first 4 bytes of the SHA-256 of
    /// <paramref name="text"/> (UTF-8) as 8 upper-case hex digits.
    /// </summary>
    public static string ShortHash(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexString(hash[..4]);
    }

    /// <summary>Cuts <paramref name="name"/> to <paramref name="budget"/> characters, ending with a hash of <paramref name="path"/>.</summary>
    public static string Fit(string name, string path, int budget)
    {
        if (name.Length <= budget)
        {
            return name;
        }
        var hash = Resource.ShortHash(path);
        var keep = Math.Max(1, budget - hash.Length - 1);
        var sb = new StringBuilder(budget);
        sb.Append(name, 0, Math.Min(keep, name.Length)).Append('-').Append(hash);
        return sb.ToString();
    }
}
