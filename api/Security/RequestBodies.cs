using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Alternance.Api.Security;

/// <summary>Request-size limits of the write routes, and the bounded reading of JSON bodies.</summary>
public static class RequestBodies
{
    /// <summary><c>POST /api/v1/application</c> (the CV travels base64-encoded in the body): 5 MB, as the reference.</summary>
    public const long ApplicationLimit = 5 * 1024 * 1024;

    /// <summary>Every other JSON write route.</summary>
    public const long SmallLimit = 64 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    /// <summary>
    /// Reads the body as one JSON document of at most <paramref name="limit"/> bytes; answers the document, or the 413
    /// (too large) or 400 (not JSON) to send.
    /// </summary>
    public static async Task<(JsonDocument? Document, IResult? Failure)> ReadJsonAsync(HttpContext context, long limit)
    {
        HttpRequest request = context.Request;
        if (request.ContentLength > limit)
        {
            return (null, Boom.PayloadTooLarge(limit));
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }
        var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, Boom.PayloadTooLarge(limit));
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Boom.PayloadTooLarge(limit));
        }
        if (buffer.Length == 0)
        {
            return (null, Boom.BadRequest("Body cannot be empty when content-type is set to 'application/json'"));
        }
        try
        {
            return (JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), DocumentOptions), null);
        }
        catch (JsonException e)
        {
            return (null, Boom.BadRequest($"Body is not valid JSON: {FirstSentence(e.Message)}"));
        }
    }

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (i > 0 ? message[..i] : message).TrimEnd();
    }
}
