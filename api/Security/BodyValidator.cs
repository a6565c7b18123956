using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Alternance.Api.Security;

/// <summary>One validation failure: the path of the field (empty for the whole object) and the message.</summary>
public readonly record struct Issue(string Code, string Path, string Message);

/// <summary>
/// Reads a JSON object field by field the way the reference's schemas (zod) check them, and accumulates every issue.
/// The 400 it answers is the reference's: <c>{statusCode: 400, error: "Bad Request", message: "body.field: msg, ...",
/// data: {validationError: {issues, name: "ZodError", statusCode: 400, code: "FST_ERR_VALIDATION", validationContext}}}</c>,
/// with zod's messages under the reference's French error map (<c>String attendu</c>, <c>Number attendu</c>...).
/// </summary>
public sealed partial class BodyValidator
{
    private readonly JsonElement _body;
    private readonly string _context;
    private readonly List<Issue> _issues = [];
    /// <summary>A nested object's validator reports to its parent's list, under its path.</summary>
    private readonly BodyValidator? _parent;
    private readonly string _path = "";

    public BodyValidator(JsonElement body, string context = "body")
    {
        _body = body;
        _context = context;
    }

    private BodyValidator(JsonElement body, BodyValidator parent, string path) : this(body, parent._context)
    {
        _parent = parent;
        _path = path;
    }

    public bool IsObject => _body.ValueKind == JsonValueKind.Object;

    public bool HasIssues => _parent?.HasIssues ?? _issues.Count > 0;

    public IReadOnlyList<Issue> Issues => _parent?.Issues ?? _issues;

    public void Add(string path, string message, string code = "custom")
    {
        if (_parent is not null) _parent.Add(path.Length == 0 ? _path : $"{_path}.{path}", message, code);
        else _issues.Add(new Issue(code, path, message));
    }

    /// <summary>
    /// A validator of the object in <paramref name="name"/>, whose issues are this one's under that path; null when it is
    /// absent or null (an issue when <paramref name="required"/>) or not an object (an issue).
    /// </summary>
    public BodyValidator? Object(string name, bool required)
    {
        if (!Value(name, required, out JsonElement value, "Object attendu")) return null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(name, "Object attendu", "invalid_type");
            return null;
        }
        return new BodyValidator(value, this, name);
    }

    /// <summary>An array of strings (each checked by <paramref name="check"/>, which answers its message, or null when fine).</summary>
    public string[]? StringArray(string name, bool required, Func<string, string?>? check = null)
    {
        if (!Value(name, required, out JsonElement value, "Array attendu")) return null;
        if (value.ValueKind != JsonValueKind.Array)
        {
            Add(name, "Array attendu", "invalid_type");
            return null;
        }
        var result = new List<string>();
        bool ok = true;
        int i = 0;
        foreach (JsonElement element in value.EnumerateArray())
        {
            string path = $"{name}.{i++}";
            if (element.ValueKind != JsonValueKind.String)
            {
                Add(path, "String attendu", "invalid_type");
                ok = false;
                continue;
            }
            string text = element.GetString()!;
            if (check?.Invoke(text) is { } message)
            {
                Add(path, message, "invalid_string");
                ok = false;
                continue;
            }
            result.Add(text);
        }
        return ok ? [.. result] : null;
    }

    /// <summary>zod's <c>string().datetime({offset: true})</c>: an ISO 8601 date-time with a time zone (<c>Z</c> or an offset).</summary>
    public DateTimeOffset? DateTime(string name, bool required, string message = "Expected ISO 8601 date string")
    {
        if (!Value(name, required, out JsonElement value, message)) return null;
        if (value.ValueKind != JsonValueKind.String || !IsIsoDateTime(value.GetString()!)
            || !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out DateTimeOffset at))
        {
            Add(name, message, "invalid_string");
            return null;
        }
        return at;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex IsoDateTimePattern();

    private static bool IsIsoDateTime(string text) => IsoDateTimePattern().IsMatch(text);

    /// <summary>The body must be an object; answers false (and records the issue) otherwise.</summary>
    public bool RequireObject()
    {
        if (IsObject) return true;
        Add("", "Object attendu", "invalid_type");
        return false;
    }

    /// <summary>zod's <c>.strict()</c>: any other key is an issue.</summary>
    public void Strict(params string[] allowed)
    {
        if (!IsObject) return;
        var unknown = new List<string>();
        foreach (JsonProperty property in _body.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0) unknown.Add($"'{property.Name}'");
        }
        if (unknown.Count > 0)
        {
            Add("", $"Unrecognized key(s) in object: {string.Join(", ", unknown)}", "unrecognized_keys");
        }
    }

    /// <summary>Present and not null.</summary>
    public bool Has(string name) =>
        IsObject && _body.TryGetProperty(name, out JsonElement value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    public bool Present(string name) => IsObject && _body.TryGetProperty(name, out _);

    public string? String(string name, bool required, int? min = null, int? max = null, bool trim = false)
    {
        if (!Value(name, required, out JsonElement value)) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            Add(name, "String attendu", "invalid_type");
            return null;
        }
        string text = value.GetString()!;
        if (trim) text = text.Trim();
        if (min is { } lo && text.Length < lo)
        {
            Add(name, $"String must contain at least {lo} character(s)", "too_small");
            return null;
        }
        if (max is { } hi && text.Length > hi)
        {
            Add(name, $"String must contain at most {hi} character(s)", "too_big");
            return null;
        }
        return text;
    }

    public string? Matching(string name, bool required, Regex pattern, string message = "Invalid", bool trim = false)
    {
        string? text = String(name, required, trim: trim);
        if (text is not null && !pattern.IsMatch(text))
        {
            Add(name, message, "invalid_string");
            return null;
        }
        return text;
    }

    public string? Email(string name, bool required)
    {
        string? text = String(name, required);
        if (text is not null && !IsEmail(text))
        {
            Add(name, "Invalid email", "invalid_string");
            return null;
        }
        return text;
    }

    public string? Enum(string name, bool required, IReadOnlyList<string> values)
    {
        string? text = String(name, required);
        if (text is not null && !values.Contains(text))
        {
            Add(name, EnumMessage(values, text), "invalid_enum_value");
            return null;
        }
        return text;
    }

    public static string EnumMessage(IReadOnlyList<string> values, string received) =>
        $"Invalid enum value. Expected {string.Join(" | ", values.Select(v => $"'{v}'"))}, received '{received}'";

    public double? Number(string name, bool required, double? min = null, double? max = null)
    {
        if (!Value(name, required, out JsonElement value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number))
        {
            Add(name, "Number attendu", "invalid_type");
            return null;
        }
        if (min is { } lo && number < lo)
        {
            Add(name, $"Number must be greater than or equal to {lo.ToString(CultureInfo.InvariantCulture)}", "too_small");
            return null;
        }
        if (max is { } hi && number > hi)
        {
            Add(name, $"Number must be less than or equal to {hi.ToString(CultureInfo.InvariantCulture)}", "too_big");
            return null;
        }
        return number;
    }

    public bool? Boolean(string name, bool required)
    {
        if (!Value(name, required, out JsonElement value)) return null;
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Add(name, "Boolean attendu", "invalid_type");
            return null;
        }
        return value.GetBoolean();
    }

    /// <summary>An array of enum values (each checked, path <c>name.i</c>).</summary>
    public string[]? EnumArray(string name, bool required, IReadOnlyList<string> values)
    {
        if (!Value(name, required, out JsonElement value)) return null;
        if (value.ValueKind != JsonValueKind.Array)
        {
            Add(name, "Array attendu", "invalid_type");
            return null;
        }
        var result = new List<string>();
        bool ok = true;
        int i = 0;
        foreach (JsonElement element in value.EnumerateArray())
        {
            string path = $"{name}.{i++}";
            if (element.ValueKind != JsonValueKind.String)
            {
                Add(path, "String attendu", "invalid_type");
                ok = false;
                continue;
            }
            string text = element.GetString()!;
            if (!values.Contains(text))
            {
                Add(path, EnumMessage(values, text), "invalid_enum_value");
                ok = false;
                continue;
            }
            result.Add(text);
        }
        return ok ? [.. result] : null;
    }

    /// <summary>zod's <c>z.coerce.date()</c>: a string or a number (epoch milliseconds) that makes a valid date.</summary>
    public DateTimeOffset? Date(string name, bool required)
    {
        if (!Present(name))
        {
            if (required) Add(name, "Invalid date", "invalid_date");
            return null;
        }
        JsonElement value = _body.GetProperty(name);
        DateTimeOffset? date = value.ValueKind switch
        {
            JsonValueKind.String => ParseDate(value.GetString()!),
            JsonValueKind.Number when value.TryGetInt64(out long ms) && Math.Abs(ms) <= 8_640_000_000_000_000 => DateTimeOffset.FromUnixTimeMilliseconds(ms),
            _ => null,
        };
        if (date is null)
        {
            Add(name, "Invalid date", "invalid_date");
        }
        return date;
    }

    /// <summary>As JavaScript's <c>new Date(string)</c> for ISO forms: a date alone is UTC midnight, a date-time without offset is UTC.</summary>
    public static DateTimeOffset? ParseDate(string text)
    {
        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset instant))
        {
            return instant;
        }
        return null;
    }

    private bool Value(string name, bool required, out JsonElement value, string? missing = null)
    {
        if (!IsObject || !_body.TryGetProperty(name, out value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            value = default;
            if (required)
            {
                // zod reports a missing field as an invalid type (undefined), which the French map words as "X attendu".
                Add(name, missing ?? ExpectedFor(name), "invalid_type");
            }
            return false;
        }
        return true;
    }

    private readonly Dictionary<string, string> _expected = new(StringComparer.Ordinal);

    /// <summary>Declares the type a required field expects, for the missing-field message (default: String).</summary>
    public BodyValidator Expect(string name, string type)
    {
        _expected[name] = $"{type} attendu";
        return this;
    }

    private string ExpectedFor(string name) => _expected.GetValueOrDefault(name, "String attendu");

    public static bool IsEmail(string text) => EmailPattern().IsMatch(text);

    [GeneratedRegex(@"^(?!\.)(?!.*\.\.)([A-Z0-9_'+\-\.]*)[A-Z0-9_+\-]@([A-Z0-9][A-Z0-9\-]*\.)+[A-Z]{2,}$", RegexOptions.IgnoreCase)]
    private static partial Regex EmailPattern();

    /// <summary>The issues in one line, as the reference's 400 words them: <c>body.field: message, ...</c>.</summary>
    public string Message()
    {
        if (_parent is not null) return _parent.Message();
        string prefix = _context.Length > 0 ? _context + "." : "";
        return string.Join(", ", _issues.Select(i => $"{prefix}{i.Path}: {i.Message}"));
    }

    /// <summary>The reference's 400 for these issues.</summary>
    public IResult ToResult()
    {
        if (_parent is not null) return _parent.ToResult();
        string message = Message();
        Issue[] issues = [.. _issues];
        string context = _context;
        return Boom.Result(StatusCodes.Status400BadRequest, message, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("validationError");
            w.WriteStartObject();
            w.WritePropertyName("issues");
            w.WriteStartArray();
            foreach (Issue issue in issues)
            {
                w.WriteStartObject();
                w.WriteString("code", issue.Code);
                w.WritePropertyName("path");
                w.WriteStartArray();
                if (issue.Path.Length > 0)
                {
                    foreach (string part in issue.Path.Split('.'))
                    {
                        if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int index)) w.WriteNumberValue(index);
                        else w.WriteStringValue(part);
                    }
                }
                w.WriteEndArray();
                w.WriteString("message", issue.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("name", "ZodError");
            w.WriteNumber("statusCode", 400);
            w.WriteString("code", "FST_ERR_VALIDATION");
            w.WriteString("validationContext", context);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}
