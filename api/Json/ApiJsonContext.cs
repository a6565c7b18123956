using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Alternance.Api.Json;

/// <summary>A 400 body: <c>{"error":"wrong_parameters"|"missing_parameters","error_messages":[...]}</c>.</summary>
public sealed record ParameterError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_messages")] IReadOnlyList<string> ErrorMessages);

/// <summary>A 404 body: <c>{"error":"not_found","status":404,"result":"not_found","message":M}</c>.</summary>
public sealed record NotFoundError(string Error, int Status, string Result, string Message);

/// <summary>Any other error body (unknown route, method, server trouble): <c>{"error":..,"status":..,"message":..}</c>.</summary>
public sealed record GenericError(string Error, int Status, string Message);

/// <summary>A source that failed inside a 200 answer (docs/contract.md#errors).</summary>
public sealed record SourceError(string Result, string Error, string Message);

/// <summary><c>/api/v1/metiers</c>: métiers matching a title, ROME codes or RNCP codes.</summary>
public sealed record MetiersResponse(IReadOnlyList<MetierLabel> LabelsAndRomes);

public sealed record MetierLabel(
    string Label,
    IReadOnlyList<string> Romes,
    IReadOnlyList<string> Rncps,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RomeTitle>? RomeTitles);

public sealed record RomeTitle(string CodeRome, string Intitule);

/// <summary><c>/api/v1/metiers/all</c> and <c>/api/v1/metiers/metiersParFormation/{cfd}</c>.</summary>
public sealed record MetierNames(IReadOnlyList<string> Metiers);

/// <summary><c>/api/v1/metiers/intitule</c>.</summary>
public sealed record AppellationsResponse(IReadOnlyList<AppellationCouple> CoupleAppellationRomeMetier);

public sealed record AppellationCouple(string CodeRome, string Intitule, string Appellation);

/// <summary>Source-generated serializers for the small response bodies (errors, métiers).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ParameterError))]
[JsonSerializable(typeof(NotFoundError))]
[JsonSerializable(typeof(GenericError))]
[JsonSerializable(typeof(SourceError))]
[JsonSerializable(typeof(MetiersResponse))]
[JsonSerializable(typeof(MetierNames))]
[JsonSerializable(typeof(AppellationsResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext
{
    /// <summary>The instance to use: French text written as UTF-8, not as \u escapes.</summary>
    public static ApiJsonContext Relaxed { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
