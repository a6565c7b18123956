using System.Text.Json;
using Alternance.Api.Docs;
using Alternance.Api.Errors;
using Alternance.Api.Json;
using Alternance.Api.Search;
using Alternance.Api.Validation;

namespace Alternance.Api.Items;

/// <summary>
/// One item by id (docs/contract.md#item-routes): a training, a national offer, a posted offer, a company. Found: 200 with
/// the item in a one-element list; unknown: 404 with the contract's body; <c>caller</c> is required.
/// </summary>
public static class ItemEndpoints
{
    public static IEndpointRouteBuilder MapItemRoutes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/formations/formation/{id}", (HttpContext context, string id) =>
                Handle(context, Source.Formation, id, "results"u8.ToArray(), ApiErrors.FormationNotFound))
            .WithMetadata(SelfEncodedAnswer.Instance).WithName("formation").WithItemDocs("One training by cle_ministere_educatif", typeof(FormationsResponse),
                "cle_ministere_educatif of the training (URL-encode '#').");
        app.MapGet("/api/v1/jobs/job/{id}", (HttpContext context, string id) =>
                Handle(context, Source.PeJob, id, "peJobs"u8.ToArray(), ApiErrors.OfferNotFound))
            .WithMetadata(SelfEncodedAnswer.Instance).WithName("peJob").WithItemDocs("One national offer by id", typeof(PeJobsResponse), "Id of the national offer.");
        app.MapGet("/api/v1/jobs/matcha/{id}", (HttpContext context, string id) =>
                Handle(context, Source.Matcha, id, "matchas"u8.ToArray(), ApiErrors.OfferNotFound))
            .WithMetadata(SelfEncodedAnswer.Instance).WithName("matcha").WithItemDocs("One posted offer by job id", typeof(MatchasResponse), "Id of the job.");
        app.MapGet("/api/v1/jobs/company/{siret}", (HttpContext context, string siret) =>
                Handle(context, Source.Company, siret, "lbaCompanies"u8.ToArray(), ApiErrors.CompanyNotFound))
            .WithMetadata(SelfEncodedAnswer.Instance).WithName("company").WithItemDocs("One company by SIRET", typeof(LbaCompaniesResponse), "SIRET, 14 digits.");
        return app;
    }

    private static async Task Handle(HttpContext context, Source source, string id, byte[] envelope, string notFound)
    {
        var errors = new List<string>(2);
        SearchValidator.ReadCaller(context.Request.Query, errors);
        id = id.Trim();
        if (source == Source.Company && !Siret.HasShape(id))
        {
            errors.Add(Messages.SiretInvalid);
        }
        if (errors.Count > 0)
        {
            await ApiErrors.BadRequest(errors).ExecuteAsync(context);
            return;
        }
        IServiceProvider services = context.RequestServices;
        SearchItem? item = id.Length == 0 || id.Length > 512
            ? null
            : await services.GetRequiredService<ISearchBackend>().GetAsync(source, id, context.RequestAborted);
        if (item is null)
        {
            await ApiErrors.NotFound(notFound).ExecuteAsync(context);
            return;
        }
        string caller = SearchValidator.Value(context.Request.Query, "caller")!;
        var options = new ItemWriteOptions(
            services.GetRequiredService<IContactProtector>(),
            services.GetRequiredService<PhonePolicy>().MayShowPhone(caller),
            WithDescription: true);
        byte[] json = PooledJson.ToArray((item, envelope, options), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartArray(s.envelope);
            ItemWriter.WriteItem(w, s.item, double.NaN, s.options);
            w.WriteEndArray();
            w.WriteEndObject();
        });
        await EncodedJson.SendAsync(context, json, AnswerTag.Of(item, options.ShowCompanyPhone, options.WithDescription));
    }
}
