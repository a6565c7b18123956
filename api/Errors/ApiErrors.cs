using System.Text.Json.Serialization.Metadata;
using Alternance.Api.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Alternance.Api.Errors;

/// <summary>The contract's error bodies (docs/contract.md#errors), written with the source-generated serializers.</summary>
public static class ApiErrors
{
    public const string WrongParameters = "wrong_parameters";
    public const string MissingParametersCode = "missing_parameters";
    public const string FormationNotFound = "Formation non trouvée";
    public const string OfferNotFound = "Offre non trouvée";
    public const string CompanyNotFound = "Société non trouvée";

    /// <summary>
    /// <c>Retry-After</c> of a 503: a lost silo is declared dead and its grains re-activated elsewhere within seconds.
    /// </summary>
    public const string RetryAfterSeconds = "5";

    public static IResult BadRequest(IReadOnlyList<string> messages) =>
        Json(StatusCodes.Status400BadRequest, new ParameterError(WrongParameters, messages), ApiJsonContext.Relaxed.ParameterError);

    public static IResult MissingParameters(string message) =>
        Json(StatusCodes.Status400BadRequest, new ParameterError(MissingParametersCode, [message]), ApiJsonContext.Relaxed.ParameterError);

    public static IResult NotFound(string message) =>
        Json(StatusCodes.Status404NotFound, new NotFoundError("not_found", 404, "not_found", message), ApiJsonContext.Relaxed.NotFoundError);

    private static IResult Json<T>(int status, T body, JsonTypeInfo<T> type) =>
        TypedResults.Json(body, type, contentType: "application/json; charset=utf-8", statusCode: status);

    /// <summary>The body for a status that no endpoint wrote a body for (unknown route, wrong method...).</summary>
    internal static GenericError ForStatus(int status)
    {
        string phrase = ReasonPhrases.GetReasonPhrase(status);
        if (phrase.Length == 0) phrase = "Error";
        string code = status switch
        {
            404 => "not_found",
            405 => "method_not_allowed",
            413 => "payload_too_large",
            415 => "unsupported_media_type",
            429 => "too_many_requests",
            >= 500 => "internal_error",
            _ => "bad_request",
        };
        return new GenericError(code, status, phrase);
    }
}

/// <summary>
/// The no-500 guarantee for bad input: a request the framework rejects (malformed, too large) answers its 4xx
/// with a contract-shaped body; a failing cluster answers 503; anything else 500 <c>internal_error</c>. Never a
/// stack trace.
/// </summary>
public sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody reads an answer.
            context.Response.StatusCode = 499;
            return true;
        }
        int status;
        object body;
        JsonTypeInfo type;
        switch (exception)
        {
            case BadHttpRequestException bad:
                status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400;
                body = new ParameterError(ApiErrors.WrongParameters, [BadRequestMessage(bad)]);
                type = ApiJsonContext.Relaxed.ParameterError;
                break;
            case TimeoutException or Orleans.Runtime.OrleansException or OperationCanceledException:
                logger.LogWarning(exception, "Cluster unavailable for {Path}", context.Request.Path);
                status = 503;
                body = new GenericError("unavailable", 503, "Service momentanément indisponible");
                type = ApiJsonContext.Relaxed.GenericError;
                break;
            default:
                logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
                status = 500;
                body = new GenericError("internal_error", 500, "Erreur interne");
                type = ApiJsonContext.Relaxed.GenericError;
                break;
        }
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (status == 503) context.Response.Headers.RetryAfter = ApiErrors.RetryAfterSeconds;
        context.Response.ContentType = "application/json; charset=utf-8";
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, body, type, cancellationToken);
        return true;
    }

    private static string BadRequestMessage(BadHttpRequestException bad) => bad.StatusCode switch
    {
        413 => "body : Request body too large.",
        _ => "request : Malformed request.",
    };
}

public static class ApiErrorsConfiguration
{
    public static IServiceCollection AddApiErrors(this IServiceCollection services)
    {
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        return services;
    }

    /// <summary>The API's paths: <c>/api/...</c>, and <c>/job/...</c> (the API Apprentissage gateway's names of the v3 routes).</summary>
    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/job", StringComparison.OrdinalIgnoreCase);

    /// <summary>First in the pipeline: the exception handler, then JSON bodies for bare 4xx/5xx under <c>/api</c> and <c>/job</c>.</summary>
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = null, SuppressDiagnosticsCallback = _ => false });
        app.UseStatusCodePages(async context =>
        {
            HttpContext http = context.HttpContext;
            if (!IsApiPath(http.Request.Path) && !http.Request.Path.StartsWithSegments("/api-docs", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
            int status = http.Response.StatusCode;
            http.Response.ContentType = "application/json; charset=utf-8";
            if (status == StatusCodes.Status404NotFound)
            {
                // The contract's 404 shape, for a route that does not exist.
                await System.Text.Json.JsonSerializer.SerializeAsync(http.Response.Body,
                    new NotFoundError("not_found", 404, "not_found", "Route non trouvée"), ApiJsonContext.Relaxed.NotFoundError, http.RequestAborted);
                return;
            }
            await System.Text.Json.JsonSerializer.SerializeAsync(http.Response.Body, ApiErrors.ForStatus(status),
                ApiJsonContext.Relaxed.GenericError, http.RequestAborted);
        });
        return app;
    }
}
