using System.Net;
using System.Text.Json;

namespace Alternance.Api.Tests;

public static class Support
{
    public const string Caller = "contact@exemple.fr tests";

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJson(this HttpClient http, string url, string? failSources = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (failSources is not null) request.Headers.Add(ApiHost.FailHeader, failSources);
        using HttpResponseMessage response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        JsonElement body;
        try
        {
            body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"{url} answered {(int)response.StatusCode} with a body that is not JSON: {text[..Math.Min(300, text.Length)]} ({e.Message})");
        }
        return (response.StatusCode, body);
    }

    public static async Task<JsonElement> GetOk(this HttpClient http, string url)
    {
        var (status, body) = await http.GetJson(url);
        Assert.True(status == HttpStatusCode.OK, $"{url} answered {(int)status}: {body}");
        return body;
    }

    /// <summary>The messages of a 400 <c>wrong_parameters</c> answer (asserting its shape).</summary>
    public static async Task<string[]> GetWrongParameters(this HttpClient http, string url)
    {
        var (status, body) = await http.GetJson(url);
        Assert.True(status == HttpStatusCode.BadRequest, $"{url} answered {(int)status}: {body}");
        Assert.Equal("wrong_parameters", body.GetProperty("error").GetString());
        var messages = new List<string>();
        foreach (JsonElement m in body.GetProperty("error_messages").EnumerateArray()) messages.Add(m.GetString()!);
        Assert.NotEmpty(messages);
        return [.. messages];
    }

    public static JsonElement[] Results(this JsonElement slot)
    {
        Assert.Equal(JsonValueKind.Object, slot.ValueKind);
        return [.. slot.GetProperty("results").EnumerateArray()];
    }

    public static string Esc(string s) => Uri.EscapeDataString(s);

    public static string Inv(double d) => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
