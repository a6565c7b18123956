using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Alternance.Api.Json;
using Alternance.Api.Recruiters;
using Alternance.Api.Security;
using Alternance.Search;
using Microsoft.Extensions.Options;

namespace Alternance.Api.Widget;

/// <summary>
/// Proves that a browser created an establishment through the recruiter widget, so that it may post that
/// establishment's offers without a partner key: an HMAC of the establishment id under a key derived from
/// <c>Privacy:EmailKey</c> (every API node holds it, so any node accepts the token; nothing is stored).
/// </summary>
public sealed class WidgetTokens
{
    private readonly byte[] _key;

    public WidgetTokens(IConfiguration configuration)
    {
        string hex = configuration.GetSection(PrivacyOptions.Section).Get<PrivacyOptions>()?.EmailKey?.Trim() is { Length: > 0 } configured
            ? configured
            : AesCtrContactProtector.DevelopmentKeyHex;
        byte[] emailKey;
        try
        {
            emailKey = Convert.FromHexString(hex);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException("Privacy:EmailKey must be 64 hexadecimal characters (a 32-byte AES-256 key).", e);
        }
        _key = HMACSHA256.HashData(emailKey, "alternance/widget-recruiter-token"u8);
    }

    public string For(string establishmentId) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(establishmentId))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public bool Verify(string establishmentId, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(For(establishmentId)), Encoding.ASCII.GetBytes(token));
    }
}

/// <summary>
/// The recruiter widget's routes (<c>/espace-pro/widget/{origin}</c> posts through them): check a SIRET against the
/// companies feed, create the establishment, post its offers. They run the partner routes' validation and storage
/// (<see cref="RecruiterService"/>) on behalf of one configured partner (<c>Widget:RecruiterPartner</c>); the
/// establishment is placed where the companies feed puts its SIRET (a widget user cannot place it elsewhere), and the
/// offers are posted with the token its creation answered (<c>X-Widget-Token</c>).
/// </summary>
public sealed partial class RecruiterWidget(RecruiterService recruiters, SearchEngine engine, IGrainFactory grains, WidgetTokens tokens, IOptions<WidgetOptions> options)
{
    public const string TokenHeader = "X-Widget-Token";

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex OriginPattern();

    [GeneratedRegex(@"^[0-9]{14}$")]
    private static partial Regex SiretPattern();

    private Partner Partner => new(options.Value.RecruiterPartner, null);

    /// <summary>Whether the widget serves this origin: a well-formed one, among <c>Widget:RecruiterOrigins</c> when that is set.</summary>
    public bool IsOrigin(string origin)
    {
        if (!OriginPattern().IsMatch(origin)) return false;
        string[] allowed = options.Value.RecruiterOrigins;
        if (allowed.Length == 0) return true;
        foreach (string a in allowed)
        {
            if (string.Equals(a, origin, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    // GET /api/widget/recruiters/{origin}/siret/{siret}
    public async Task<IResult> CheckSiret(string origin, string siret)
    {
        if (!IsOrigin(origin)) return Boom.NotFound("Origine inconnue");
        siret = siret.Trim();
        if (!SiretPattern().IsMatch(siret)) return Boom.BusinessError("SIRET invalide");
        if (!RecruiterService.Luhn(siret)) return Boom.BusinessError("Le siret ne respecte pas l'algorithme luhn");
        if (await engine.GetAsync(Source.Company, siret) is not CompanyItem company)
        {
            return Boom.BusinessError("Le numéro siret est invalide.");
        }
        if (company.NafCode is { } naf && naf.StartsWith("85", StringComparison.Ordinal))
        {
            return Boom.BusinessError("Le numéro siret n'est pas référencé comme une entreprise.");
        }
        // Said before the recruiter types the rest: the widget's partner registers a SIRET once.
        if (await grains.GetGrain<IEstablishmentKeyGrain>($"{Partner.Name}/{siret}").Get() is { } holder
            && await grains.GetGrain<IRecruiterGrain>(holder).Get() is not null)
        {
            return Boom.BusinessError("Un compte est déjà associé à ce couple email/siret.");
        }
        return new JsonBody(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("establishment_siret", company.Siret);
            w.WriteString("establishment_raison_sociale", company.RaisonSociale);
            w.WriteString("establishment_enseigne", company.Enseigne);
            w.WriteString("address", RecruiterService.CompanyAddress(company));
            w.WriteString("naf_code", company.NafCode);
            w.WriteString("naf_label", company.NafLabel);
            w.WriteString("establishment_size", company.CompanySize);
            w.WriteString("opco", company.Opco);
            w.WriteEndObject();
        });
    }

    // POST /api/widget/recruiters/{origin}/establishment
    public async Task<IResult> CreateEstablishment(HttpContext context, string origin)
    {
        if (!IsOrigin(origin)) return Boom.NotFound("Origine inconnue");
        var (answer, created) = await recruiters.CreateEstablishment(context, Partner, widgetOrigin: origin);
        if (created is not null)
        {
            context.Response.Headers[TokenHeader] = tokens.For(created.EstablishmentId);
        }
        return answer;
    }

    // POST /api/widget/recruiters/{origin}/jobs/{establishmentId}
    public async Task<IResult> CreateJob(HttpContext context, string origin, string establishmentId)
    {
        if (!IsOrigin(origin)) return Boom.NotFound("Origine inconnue");
        string? token = context.Request.Headers[TokenHeader];
        if (string.IsNullOrEmpty(token)) return Boom.Unauthorized();
        if (!tokens.Verify(establishmentId, token)) return Boom.Forbidden("Accès non autorisé");
        return await recruiters.CreateJob(context, establishmentId, Partner.Name);
    }
}
