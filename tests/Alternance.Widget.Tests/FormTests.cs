using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using MimeKit;

namespace Alternance.Widget.Tests;

/// <summary>The forms, filled in the browser: each write goes through the API and is found where the API keeps it.</summary>
[Collection(WidgetCollection.Name)]
public sealed class FormTests(WidgetFixture fixture)
{
    private WidgetHost Host => fixture.Host;

    private static string At(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task Fill(ILocator scope, string label, string value) => await scope.GetByLabel(Labels.Exactly(label)).FillAsync(value);

    [Fact]
    public async Task An_application_from_a_card_goes_through_and_is_stored_and_delivered()
    {
        MatchaItem offer = Host.LiveOffer();
        string applicant = $"camille-{Guid.NewGuid():N}@example.org";
        string cv = Path.Combine(Path.GetTempPath(), $"cv-{Guid.NewGuid():N}.pdf");
        await File.WriteAllTextAsync(cv, "%PDF-1.4\n% un CV de test\n%%EOF\n");
        try
        {
            await using WidgetPage w = await fixture.NewPage();
            // The card of an item named in the URL (itemId and type), as the reference's links open it.
            await w.Goto($"/recherche-emploi?caller={WidgetFixture.Caller}&romes={offer.RomeCodes[0]}&lat={At(offer.Latitude)}&lon={At(offer.Longitude)}&radius=10&itemId={offer.Id}&type=matcha");
            ILocator card = w.Page.Locator(".detail");
            await card.WaitForAsync();
            Assert.Equal("matcha:" + offer.Id, await card.GetAttributeAsync("data-key"));
            await card.Locator(".apply-button").ClickAsync();
            ILocator dialog = w.Page.Locator("dialog[open]");
            await dialog.WaitForAsync();
            // Sent empty first: the form says what is missing, on each field, and sends nothing.
            await dialog.Locator("button[type=submit]").ClickAsync();
            Assert.True(await dialog.Locator(".field-error:visible").CountAsync() >= 5);
            await Fill(dialog, "Prénom", "Camille");
            await Fill(dialog, "Nom", "Petit");
            await Fill(dialog, "Adresse e-mail", applicant);
            await Fill(dialog, "Téléphone", "06 11 22 33 44");
            await dialog.Locator("input[type=file]").SetInputFilesAsync(cv);
            await Fill(dialog, "Votre message au recruteur", "Bonjour, je suis très motivée par cette offre.");
            await Screenshots.Save(w.Page, "application-dialog-1280");
            await dialog.Locator("button[type=submit]").ClickAsync();
            await dialog.Locator(".application-sent").WaitForAsync();
            Assert.Contains("bien été envoyée", await dialog.Locator(".application-sent").InnerTextAsync());
            Assert.Empty(w.Errors);
        }
        finally
        {
            File.Delete(cv);
        }

        // Stored by the API (without the CV), delivered to the offer's recruiter with the CV attached.
        ApplicationMark mark = Assert.Single(await Host.Grains.GetGrain<IApplicantGrain>(applicant).List());
        ApplicationRecord? stored = await Host.Grains.GetGrain<IApplicationGrain>(mark.ApplicationId).Get();
        Assert.NotNull(stored);
        Assert.Equal("sent", stored.Status);
        Assert.Equal(offer.Id, stored.JobId);
        Assert.EndsWith(".pdf", stored.ApplicantAttachmentName);
        Assert.Equal(WidgetFixture.Caller, stored.Caller);
        MimeMessage delivered = Assert.Single(Mails(offer.Recruiter.Email!), m => m.ReplyTo.Mailboxes.Any(a => a.Address == applicant));
        Assert.Contains("un CV de test", Encoding.ASCII.GetString(Attachment(Assert.Single(delivered.Attachments))));
    }

    [Fact]
    public async Task The_application_page_applies_to_a_company_and_says_what_its_link_lacks()
    {
        CompanyItem company = Host.Companies.First(c => !string.IsNullOrEmpty(c.Email));
        string applicant = $"sami-{Guid.NewGuid():N}@example.org";
        await using WidgetPage w = await fixture.NewPage(375, 800);
        // The reference's error codes for an incomplete link.
        await w.Goto($"/postuler?itemId={company.Id}&type=lba");
        Assert.Contains("missing_caller_parameter", await w.Page.Locator(".notice--error").InnerTextAsync());
        await w.Goto($"/postuler?caller={WidgetFixture.Caller}&type=lba");
        Assert.Contains("missing_item_id_parameter", await w.Page.Locator(".notice--error").InnerTextAsync());

        await w.Goto($"/postuler?caller={WidgetFixture.Caller}&itemId={company.Id}&type=lba");
        ILocator form = w.Page.Locator("form.form");
        await form.WaitForAsync();
        await Fill(form, "Prénom", "Sami");
        await Fill(form, "Nom", "Durand");
        await Fill(form, "Adresse e-mail", applicant);
        await Fill(form, "Téléphone", "0611223344");
        await form.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "cv.docx", MimeType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Buffer = Encoding.ASCII.GetBytes("PK docx de test") });
        // A phone number the API would refuse is refused before sending.
        await Fill(form, "Téléphone", "12");
        await form.Locator("button[type=submit]").ClickAsync();
        Assert.Contains("Numéro de téléphone invalide", await form.InnerTextAsync());
        await Fill(form, "Téléphone", "0611223344");
        await Screenshots.Save(w.Page, "postuler-375");
        await form.Locator("button[type=submit]").ClickAsync();
        await w.Page.Locator(".application-sent").WaitForAsync();

        ApplicationMark mark = Assert.Single(await Host.Grains.GetGrain<IApplicantGrain>(applicant).List());
        ApplicationRecord? stored = await Host.Grains.GetGrain<IApplicationGrain>(mark.ApplicationId).Get();
        Assert.NotNull(stored);
        Assert.Equal("sent", stored.Status);
        Assert.Equal(company.Siret, stored.CompanySiret);
        Assert.Single(Mails(company.Email!), m => m.ReplyTo.Mailboxes.Any(a => a.Address == applicant));

        // The API's own refusal reaches the candidate: a fourth application to the same company.
        for (int i = 0; i < 3; i++)
        {
            await w.Goto($"/postuler?caller={WidgetFixture.Caller}&itemId={company.Id}&type=lba");
            form = w.Page.Locator("form.form");
            await Fill(form, "Prénom", "Sami");
            await Fill(form, "Nom", "Durand");
            await Fill(form, "Adresse e-mail", applicant);
            await Fill(form, "Téléphone", "0611223344");
            await form.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "cv.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.4") });
            await form.Locator("button[type=submit]").ClickAsync();
            await w.Page.Locator(".application-sent, .form__summary .notice--error").First.WaitForAsync();
        }
        Assert.Contains("déjà postulé plusieurs fois", await w.Page.Locator(".form__summary .notice--error").InnerTextAsync());
    }

    [Fact]
    public async Task An_appointment_request_from_a_training_card_goes_through_and_is_stored()
    {
        FormationItem training = Host.Formations.First(f => !string.IsNullOrEmpty(f.Email) && f.Email.Contains('@'));
        string candidate = $"lea-{Guid.NewGuid():N}@example.org";
        await using WidgetPage w = await fixture.NewPage();
        await w.Goto($"/recherche-apprentissage-formation?caller={WidgetFixture.Caller}&romes={training.RomeCodes[0]}&lat={At(training.Latitude)}&lon={At(training.Longitude)}&radius=10&itemId={Uri.EscapeDataString(training.Id)}&type=training");
        ILocator card = w.Page.Locator(".detail");
        await card.WaitForAsync();
        await card.Locator(".appointment-button").ClickAsync();
        ILocator dialog = w.Page.Locator("dialog[open]");
        await Fill(dialog, "Prénom", "Léa");
        await Fill(dialog, "Nom", "Martin");
        await Fill(dialog, "Adresse e-mail", candidate);
        await Fill(dialog, "Téléphone", "0612345678");
        await dialog.GetByLabel(Labels.Exactly("Frais d’inscription")).CheckAsync();
        await dialog.GetByLabel(Labels.Exactly("Places disponibles")).CheckAsync();
        await Fill(dialog, "Votre message à l’organisme de formation", "Quelles sont les dates de rentrée ?");
        await dialog.Locator("button[type=submit]").ClickAsync();
        ILocator sent = dialog.Locator(".appointment-sent");
        await sent.WaitForAsync();
        string appointmentId = (await sent.GetAttributeAsync("data-appointment"))!;
        Assert.False(string.IsNullOrEmpty(appointmentId));
        Assert.Empty(w.Errors);

        AppointmentRecord? stored = await Host.Grains.GetGrain<IAppointmentGrain>(appointmentId).Get();
        Assert.NotNull(stored);
        Assert.Equal(candidate, stored.ApplicantEmail);
        Assert.Equal(training.Id, stored.CleMinistereEducatif);
        Assert.Equal(["frais", "place"], stored.ApplicantReasons);
        Assert.Equal("Quelles sont les dates de rentrée ?", stored.ApplicantMessageToCfa);
        Assert.Equal("LBA", stored.AppointmentOrigin);
        Assert.Contains(Mails(training.Email!), m => m.TextBody is { } body && body.Contains(appointmentId));

        // The standalone page (/rdva, where the API's form_url points too) refuses the same request within four days.
        await w.Goto($"/rdva?cleMinistereEducatif={Uri.EscapeDataString(training.Id)}&referrer=lba");
        ILocator form = w.Page.Locator("form.form");
        await Fill(form, "Prénom", "Léa");
        await Fill(form, "Nom", "Martin");
        await Fill(form, "Adresse e-mail", candidate);
        await Fill(form, "Téléphone", "0612345678");
        await form.Locator("button[type=submit]").ClickAsync();
        ILocator refused = w.Page.Locator(".form__summary .notice--error");
        await refused.WaitForAsync();
        Assert.Contains("est actuellement en cours de traitement", await refused.InnerTextAsync());
    }

    [Fact]
    public async Task A_training_without_an_address_offers_no_appointment()
    {
        FormationItem training = Host.Formations.First(f => string.IsNullOrEmpty(f.Email));
        await using WidgetPage w = await fixture.NewPage();
        await w.Goto($"/rdva?cleMinistereEducatif={Uri.EscapeDataString(training.Id)}&referrer=lba");
        Assert.Contains("Prise de rendez-vous non disponible.", await w.Page.Locator(".notice").InnerTextAsync());
        await w.Goto($"/recherche-apprentissage-formation?caller={WidgetFixture.Caller}&romes={training.RomeCodes[0]}&lat={At(training.Latitude)}&lon={At(training.Longitude)}&radius=10&itemId={Uri.EscapeDataString(training.Id)}&type=training");
        await w.Page.Locator(".detail").WaitForAsync();
        await w.Page.Locator(".detail .muted:has-text('Vérification')").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal(0, await w.Page.Locator(".appointment-button").CountAsync());
    }

    [Fact]
    public async Task A_recruiter_posts_an_offer_from_the_widget_and_finds_it_in_a_search()
    {
        CompanyItem company = Host.Companies.First(c => c.NafCode is { } naf && !naf.StartsWith("85", StringComparison.Ordinal) && c.Siret.EndsWith('7'));
        string email = $"rh-{Guid.NewGuid():N}@entreprise.example";
        await using WidgetPage w = await fixture.NewPage();
        await w.Goto("/espace-pro/widget/tests");
        IPage page = w.Page;

        // Step 1: a malformed SIRET is refused on the page, an unknown one by the API; the company's is found.
        await Fill(page.Locator("form.form"), "Numéro SIRET de l’établissement", "123");
        await page.Locator("form.form button[type=submit]").ClickAsync();
        Assert.Contains("14 chiffres", await page.Locator("form.form").InnerTextAsync());
        await Fill(page.Locator("form.form"), "Numéro SIRET de l’établissement", "12345678901237");
        await page.Locator("form.form button[type=submit]").ClickAsync();
        await page.Locator(".form__summary .notice--error").WaitForAsync();
        Assert.Contains("Le numéro siret est invalide.", await page.Locator(".form__summary").InnerTextAsync());
        await Fill(page.Locator("form.form"), "Numéro SIRET de l’établissement", company.Siret[..9] + " " + company.Siret[9..]);
        await page.Locator("form.form button[type=submit]").ClickAsync();

        // Step 2: the contact creates the establishment.
        await page.Locator("h2:has-text('Vos coordonnées')").WaitForAsync();
        Assert.Contains(company.Siret, await page.Locator(".company-box").InnerTextAsync());
        ILocator form = page.Locator("form.form");
        await Fill(form, "Prénom", "Jeanne");
        await Fill(form, "Nom", "Martin");
        await Fill(form, "Adresse e-mail", email);
        await Fill(form, "Téléphone", "01 23 45 67 89");
        await form.Locator("button[type=submit]").ClickAsync();

        // Step 3: the offer, its appellation chosen in the autocomplete.
        await page.Locator("h2:has-text('Votre offre')").WaitForAsync();
        form = page.Locator("form.form");
        ILocator appellation = form.GetByLabel(Labels.Exactly("Métier recherché"));
        await appellation.FillAsync("boulanger");
        ILocator option = page.Locator("[role=option]").First;
        await option.WaitForAsync();
        string chosen = (await option.InnerTextAsync()).Split('\n')[0].Trim();
        await option.ClickAsync();
        await form.GetByLabel(Labels.Exactly("Niveau de diplôme visé")).SelectOptionAsync("BTS, DEUST, autres formations niveau (Bac+2)");
        await Fill(form, "Durée du contrat (mois)", "24");
        await form.GetByLabel(Labels.Exactly("Rythme de l’alternance")).SelectOptionAsync("2 semaines / 3 semaines");
        await Fill(form, "Description du poste", "Fabrication du pain et des viennoiseries, accueil des clients le samedi.");
        await Screenshots.Save(page, "recruiter-offer-1280");
        await form.Locator("button[type=submit]").ClickAsync();
        ILocator posted = page.Locator(".offer-posted");
        await posted.WaitForAsync();
        string jobId = (await posted.GetAttributeAsync("data-job-id"))!;
        Assert.Empty(w.Errors);

        // The API lists it around the company, for its ROME code.
        JsonElement found = await fixture.Api($"/api/v1/jobs/matcha/{jobId}?caller={WidgetFixture.Caller}");
        JsonElement item = found.GetProperty("matchas")[0];
        Assert.Equal(chosen, item.GetProperty("title").GetString());
        string rome = item.GetProperty("romes")[0].GetProperty("code").GetString()!;
        JsonElement search = await fixture.Api($"/api/v1/jobs?caller={WidgetFixture.Caller}&romes={rome}&latitude={At(company.Latitude)}&longitude={At(company.Longitude)}&radius=10&sources=matcha");
        Assert.Contains(search.GetProperty("matchas").GetProperty("results").EnumerateArray(), m => m.GetProperty("id").GetString() == jobId);

        // And the widget's search shows it: the success page's link opens the results on its card.
        await page.Locator("a:has-text('Voir l’offre dans les résultats')").ClickAsync();
        await w.WaitForResults();
        await page.Locator($".detail[data-key='matcha:{jobId}']").WaitForAsync();
        Assert.Equal(chosen, await page.Locator(".detail__title").InnerTextAsync());
        await page.Locator(".detail__back").ClickAsync();
        Assert.Equal(1, await page.Locator($".result[data-key='matcha:{jobId}']").CountAsync());

        // The widget registers a SIRET once: the next recruiter of the same company is told at step 1.
        await w.Goto("/espace-pro/widget/tests");
        await Fill(page.Locator("form.form"), "Numéro SIRET de l’établissement", company.Siret);
        await page.Locator("form.form button[type=submit]").ClickAsync();
        await page.Locator(".form__summary .notice--error").WaitForAsync();
        Assert.Contains("Un compte est déjà associé", await page.Locator(".form__summary").InnerTextAsync());
    }

    private List<MimeMessage> Mails(string address)
    {
        var found = new List<MimeMessage>();
        if (!Directory.Exists(Host.MailFolder)) return found;
        foreach (string path in Directory.EnumerateFiles(Host.MailFolder, "*.eml"))
        {
            MimeMessage message = MimeMessage.Load(path);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase))) found.Add(message);
        }
        return found;
    }

    private static byte[] Attachment(MimeEntity attachment)
    {
        using var stream = new MemoryStream();
        ((MimePart)attachment).Content!.DecodeTo(stream);
        return stream.ToArray();
    }
}
