using System.Text.Json;

namespace Alternance.Api.Security;

/// <summary>
/// The error bodies of the write routes, as the reference's server writes them: <c>{statusCode, error, message[, data]}</c>
/// for validation and HTTP errors, <c>{error: true, message}</c> for the offer routes' business errors, and
/// <c>{error: "&lt;code&gt;"}</c> for the application route.
/// </summary>
public static class Boom
{
    public static IResult Result(int status, string message, Action<Utf8JsonWriter>? data = null) =>
        new JsonBody(status, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("statusCode", status);
            w.WriteString("error", Phrase(status));
            w.WriteString("message", message);
            if (data is not null)
            {
                w.WritePropertyName("data");
                data(w);
            }
            w.WriteEndObject();
        });

    public static IResult BadRequest(string message) => Result(StatusCodes.Status400BadRequest, message);

    public static IResult NotFound(string message = "Not Found") => Result(StatusCodes.Status404NotFound, message);

    public static IResult Internal(string message) => Result(StatusCodes.Status500InternalServerError, message);

    public static IResult Unauthorized() => Result(StatusCodes.Status401Unauthorized, "Unauthorized");

    public static IResult Forbidden(string message = "Forbidden") => Result(StatusCodes.Status403Forbidden, message);

    public static IResult PayloadTooLarge(long limit) =>
        Result(StatusCodes.Status413PayloadTooLarge, $"Request body is too large (limit {limit} bytes)");

    /// <summary><c>{ "error": true, "message": "..." }</c> (offer routes, HTTP 400 unless told).</summary>
    public static IResult BusinessError(string message, int status = StatusCodes.Status400BadRequest) =>
        new JsonBody(status, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("error", true);
            w.WriteString("message", message);
            w.WriteEndObject();
        });

    /// <summary><c>{ "error": "..." }</c> (application route).</summary>
    public static IResult ErrorCode(string code, int status = StatusCodes.Status400BadRequest) =>
        new JsonBody(status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", code);
            w.WriteEndObject();
        });

    public static string Phrase(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}

/// <summary>A JSON response written with a <see cref="Utf8JsonWriter"/> (no reflection, exact field order).</summary>
public sealed class JsonBody(int status, Action<Utf8JsonWriter> write) : IResult
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public int Status => status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }
        await httpContext.Response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
    }
}
