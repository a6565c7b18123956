namespace Alternance.Api.Docs;

// The response shapes of the read routes, for the OpenAPI document only: the routes write these shapes directly
// with a Utf8JsonWriter (Json/ItemWriter.cs); a test checks every property a real answer holds is declared here.
#pragma warning disable CS1591

public sealed record FormationsResponse(FormationItemDoc[] Results);

/// <summary>Each source: <c>{"results":[...]}</c>, a source error object (<c>result</c>, <c>error</c>, <c>message</c>) when it failed, or null when not requested. <c>lbbCompanies</c> is always null.</summary>
public sealed record JobsResponse(PeJobsSlotDoc? PeJobs, MatchasSlotDoc? Matchas, CompaniesSlotDoc? LbaCompanies, object? LbbCompanies);

public sealed record PeJobsSlotDoc(PeJobItemDoc[]? Results, string? Result, string? Error, string? Message);

public sealed record MatchasSlotDoc(MatchaItemDoc[]? Results, string? Result, string? Error, string? Message);

public sealed record CompaniesSlotDoc(CompanyItemDoc[]? Results, string? Result, string? Error, string? Message);

public sealed record JobsEtFormationsResponse(FormationsSlotDoc? Formations, JobsResponse? Jobs);

/// <summary><c>{"results":[...]}</c>, or a source error object when the training source failed.</summary>
public sealed record FormationsSlotDoc(FormationItemDoc[]? Results, string? Result, string? Error, string? Message);

public sealed record PeJobsResponse(PeJobItemDoc[] PeJobs);

public sealed record MatchasResponse(MatchaItemDoc[] Matchas);

public sealed record LbaCompaniesResponse(CompanyItemDoc[] LbaCompanies);

public sealed record RomeDoc(string Code, string? Label);

public sealed record NafDoc(string? Code, string? Label);

public sealed record FormationItemDoc(
    string IdeaType, string? Title, string? LongTitle, string Id, string? IdRco, string? IdRcoFormation,
    string CleMinistereEducatif, string? DiplomaLevel, string? Diploma, string? Cfd, string? RncpCode, string? RncpLabel,
    bool? RncpEligibleApprentissage, string? Period, string? Capacity, string? OnisepUrl, FormationContactDoc Contact,
    FormationPlaceDoc Place, FormationCompanyDoc Company, FormationRomeDoc[] Romes, TrainingDoc Training);

public sealed record FormationContactDoc(string? Phone);

public sealed record FormationPlaceDoc(
    double? Distance, string? FullAddress, double Latitude, double Longitude, string? City, string? Address, string? Cedex,
    string? ZipCode, string? DepartementNumber, string? Region, string? Insee, bool RemoteOnly);

public sealed record FormationCompanyDoc(string? Name, string? Siret, string? Id, string? Uai, HeadquarterDoc Headquarter, CityDoc Place);

public sealed record HeadquarterDoc(string? Id, string? Uai, string? Siret, string? Type, string? HasConvention, HeadquarterPlaceDoc Place, string? Name);

public sealed record HeadquarterPlaceDoc(string? Address, string? Cedex, string? ZipCode, string? City);

public sealed record CityDoc(string? City);

public sealed record FormationRomeDoc(string Code);

public sealed record TrainingDoc(string? Objectif, string? Description, SessionDoc[] Sessions, int? Duration);

public sealed record SessionDoc(string? StartDate, string? EndDate, bool IsPermanentEntry);

public sealed record PeJobItemDoc(
    string IdeaType, string Id, string? Title, PeJobContactDoc? Contact, PeJobPlaceDoc Place, PeJobCompanyDoc Company,
    string Url, PeJobJobDoc Job, RomeDoc[] Romes, NafDoc[] Nafs);

public sealed record PeJobContactDoc(string? Name, string? Email, string? Info);

public sealed record PeJobPlaceDoc(double Distance, string? Insee, string? ZipCode, string? City, double Latitude, double Longitude, string? FullAddress);

public sealed record PeJobCompanyDoc(string? Name, string? Logo, string? Description, string? Siret);

public sealed record PeJobJobDoc(
    string Id, string? CreationDate, string? Description, string? ContractType, string? ContractDescription, string? Duration, string[] Type);

/// <summary>The e-mail is AES-256-CTR ciphertext (hex) with its <c>iv</c> (hex); an empty string when unknown.</summary>
public sealed record ProtectedContactDoc(string Email, string? Iv, string? Name, string? Phone);

public sealed record MatchaItemDoc(
    string IdeaType, string Id, string? Title, ProtectedContactDoc Contact, MatchaPlaceDoc Place, MatchaCompanyDoc Company,
    NafDoc[] Nafs, string? DiplomaLevel, MatchaJobDoc Job, RomeDoc[] Romes, int ApplicationCount);

public sealed record MatchaPlaceDoc(double? Distance, string? FullAddress, string? Address, double Latitude, double Longitude, string? City);

public sealed record MatchaCompanyDoc(
    string? Siret, string Name, string? Size, bool Mandataire, string? CreationDate, AddressDoc? Place, OpcoDoc? Opco);

public sealed record AddressDoc(string? Address, string? FullAddress);

public sealed record OpcoDoc(string? Label, string? Url);

public sealed record MatchaJobDoc(
    string Id, string? Description, string? EmployeurDescription, string? CreationDate, string ContractType, string? JobStartDate,
    string? JobExpirationDate, object? RomeDetails, string? RythmeAlternance, string? DureeContrat, int QuantiteContrat,
    bool ElligibleHandicap, string Status, string[] Type);

public sealed record CompanyItemDoc(
    string IdeaType, string Id, string? Title, ProtectedContactDoc Contact, CompanyPlaceDoc Place, CompanyCompanyDoc Company,
    NafDoc[] Nafs, int ApplicationCount, string? Url);

public sealed record CompanyPlaceDoc(double? Distance, string FullAddress, double Latitude, double Longitude, string? City, string Address);

public sealed record CompanyCompanyDoc(string? Name, string Siret, string? Size, string? Url, OpcoDoc Opco);

// ------------------------------------------------------------------ v3 (La bonne alternance's names, snake_case)

/// <summary><c>GET /api/v3/jobs/search</c>: posted offers then national offers (each nearest first, then newest), companies, warnings.</summary>
public sealed record JobSearchV3Response(JobOfferV3Doc[] Jobs, JobRecruiterV3Doc[] Recruiters, WarningV3Doc[] Warnings);

public sealed record WarningV3Doc(string Message, string Code);

public sealed record JobOfferV3Doc(
    IdentifierV3Doc Identifier, WorkplaceV3Doc Workplace, ApplyV3Doc Apply, ContractV3Doc Contract, OfferV3Doc Offer,
    [property: System.Text.Json.Serialization.JsonPropertyName("is_delegated")] bool IsDelegated);

public sealed record JobRecruiterV3Doc(RecruiterIdentifierV3Doc Identifier, WorkplaceV3Doc Workplace, ApplyV3Doc Apply);

public sealed record RecruiterIdentifierV3Doc(string Id);

public sealed record IdentifierV3Doc(
    string? Id,
    [property: System.Text.Json.Serialization.JsonPropertyName("partner_label")] string PartnerLabel,
    [property: System.Text.Json.Serialization.JsonPropertyName("partner_job_id")] string PartnerJobId);

public sealed record WorkplaceV3Doc(
    string? Siret, string? Brand,
    [property: System.Text.Json.Serialization.JsonPropertyName("legal_name")] string? LegalName,
    string? Website, string? Name, string? Description, string? Size, LocationV3Doc Location, DomainV3Doc Domain);

public sealed record LocationV3Doc(string? Address, GeopointV3Doc Geopoint);

/// <summary>GeoJSON: <c>{"type":"Point","coordinates":[longitude, latitude]}</c>.</summary>
public sealed record GeopointV3Doc(string Type, double[] Coordinates);

public sealed record DomainV3Doc(int? Idcc, string? Opco, NafDoc? Naf);

public sealed record ApplyV3Doc(
    string? Url, string? Phone,
    [property: System.Text.Json.Serialization.JsonPropertyName("recipient_id")] string? RecipientId);

public sealed record ContractV3Doc(string? Start, int? Duration, string[] Type, string? Remote);

public sealed record OfferV3Doc(
    string? Title,
    [property: System.Text.Json.Serialization.JsonPropertyName("rome_codes")] string[] RomeCodes,
    string Description,
    [property: System.Text.Json.Serialization.JsonPropertyName("target_diploma")] TargetDiplomaV3Doc? TargetDiploma,
    [property: System.Text.Json.Serialization.JsonPropertyName("desired_skills")] string[] DesiredSkills,
    [property: System.Text.Json.Serialization.JsonPropertyName("to_be_acquired_skills")] string[] ToBeAcquiredSkills,
    [property: System.Text.Json.Serialization.JsonPropertyName("access_conditions")] string[] AccessConditions,
    PublicationV3Doc Publication,
    [property: System.Text.Json.Serialization.JsonPropertyName("opening_count")] int OpeningCount,
    string Status);

public sealed record TargetDiplomaV3Doc(string European, string? Label);

public sealed record PublicationV3Doc(string? Creation, string? Expiration);

/// <summary>The errors of La bonne alternance's v3 routes: <c>{statusCode, error, message[, data]}</c> (zod issues in <c>data.validationError</c>).</summary>
public sealed record BoomError(int StatusCode, string Error, string Message, object? Data);

// ------------------------------------------------------------------ v3 / v2 write bodies and answers

/// <summary>An offer as a partner writes it (<c>POST /api/v3/jobs</c>, <c>PUT /api/v3/jobs/{id}</c>).</summary>
public sealed record JobOfferWriteV3Doc(
    PartnerIdentifierV3Doc? Identifier, ContractWriteV3Doc? Contract, OfferWriteV3Doc Offer, ApplyWriteV3Doc Apply, WorkplaceWriteV3Doc Workplace);

public sealed record PartnerIdentifierV3Doc([property: System.Text.Json.Serialization.JsonPropertyName("partner_job_id")] string? PartnerJobId);

/// <summary><c>start</c>: ISO 8601 date-time with a time zone; <c>type</c>: Apprentissage, Professionnalisation; <c>remote</c>: onsite, remote, hybrid.</summary>
public sealed record ContractWriteV3Doc(string? Start, int? Duration, string[]? Type, string? Remote);

/// <summary><c>description</c>: 30 characters at least; <c>status</c>: Active, Filled, Cancelled, Pending.</summary>
public sealed record OfferWriteV3Doc(
    string Title,
    [property: System.Text.Json.Serialization.JsonPropertyName("rome_codes")] string[]? RomeCodes,
    string Description,
    [property: System.Text.Json.Serialization.JsonPropertyName("target_diploma")] TargetDiplomaWriteV3Doc? TargetDiploma,
    [property: System.Text.Json.Serialization.JsonPropertyName("desired_skills")] string[]? DesiredSkills,
    [property: System.Text.Json.Serialization.JsonPropertyName("to_be_acquired_skills")] string[]? ToBeAcquiredSkills,
    [property: System.Text.Json.Serialization.JsonPropertyName("access_conditions")] string[]? AccessConditions,
    PublicationV3Doc? Publication,
    [property: System.Text.Json.Serialization.JsonPropertyName("opening_count")] int? OpeningCount,
    string? Origin, bool? Multicast, string? Status);

public sealed record TargetDiplomaWriteV3Doc(string? European);

/// <summary>At least one of url, email, phone.</summary>
public sealed record ApplyWriteV3Doc(string? Url, string? Email, string? Phone);

public sealed record WorkplaceWriteV3Doc(string Siret, string? Name, string? Website, string? Description, LocationWriteV3Doc? Location);

public sealed record LocationWriteV3Doc(string? Address);

/// <summary>A bulk item: an offer with its upsert key.</summary>
public sealed record JobOfferBulkItemDoc(
    [property: System.Text.Json.Serialization.JsonPropertyName("partner_label")] string PartnerLabel,
    [property: System.Text.Json.Serialization.JsonPropertyName("partner_job_id")] string PartnerJobId,
    ContractWriteV3Doc? Contract, OfferWriteV3Doc Offer, ApplyWriteV3Doc Apply, WorkplaceWriteV3Doc Workplace);

/// <summary>One bulk item's outcome: its id and 200 (written) or 304 (unchanged); or a status and the error.</summary>
public sealed record JobOfferBulkResultDoc(string? Id, int Status, string? Error);

public sealed record OfferIdDoc(string Id);

public sealed record PublishingV3Doc(PublishingStateV3Doc Publishing);

/// <summary><c>status</c>: PUBLISHED, WILL_BE_PUBLISHED, WILL_NOT_BE_PUBLISHED (then <c>error</c>: EXPIRED, NOT_ACTIVE).</summary>
public sealed record PublishingStateV3Doc(string Status, PublishingErrorV3Doc? Error);

public sealed record PublishingErrorV3Doc(string Code, string Label);

/// <summary><c>POST /api/v2/application</c>.</summary>
public sealed record ApplicationV2Doc(
    [property: System.Text.Json.Serialization.JsonPropertyName("applicant_first_name")] string ApplicantFirstName,
    [property: System.Text.Json.Serialization.JsonPropertyName("applicant_last_name")] string ApplicantLastName,
    [property: System.Text.Json.Serialization.JsonPropertyName("applicant_email")] string ApplicantEmail,
    [property: System.Text.Json.Serialization.JsonPropertyName("applicant_phone")] string ApplicantPhone,
    [property: System.Text.Json.Serialization.JsonPropertyName("applicant_attachment_name")] string ApplicantAttachmentName,
    [property: System.Text.Json.Serialization.JsonPropertyName("applicant_attachment_content")] string ApplicantAttachmentContent,
    [property: System.Text.Json.Serialization.JsonPropertyName("applicant_message")] string? ApplicantMessage,
    [property: System.Text.Json.Serialization.JsonPropertyName("recipient_id")] string RecipientId);

/// <summary><c>POST /api/v2/appointment</c>: exactly one of the three ids.</summary>
public sealed record AppointmentV2Doc(
    [property: System.Text.Json.Serialization.JsonPropertyName("cle_ministere_educatif")] string? CleMinistereEducatif,
    [property: System.Text.Json.Serialization.JsonPropertyName("parcoursup_id")] string? ParcoursupId,
    [property: System.Text.Json.Serialization.JsonPropertyName("onisep_id")] string? OnisepId);

public sealed record AppointmentLinkV2Doc(
    [property: System.Text.Json.Serialization.JsonPropertyName("etablissement_formateur_entreprise_raison_sociale")] string? RaisonSociale,
    [property: System.Text.Json.Serialization.JsonPropertyName("intitule_long")] string? IntituleLong,
    [property: System.Text.Json.Serialization.JsonPropertyName("lieu_formation_adresse")] string LieuFormationAdresse,
    [property: System.Text.Json.Serialization.JsonPropertyName("code_postal")] string CodePostal,
    [property: System.Text.Json.Serialization.JsonPropertyName("etablissement_formateur_siret")] string? Siret,
    string Cfd, string Localite,
    [property: System.Text.Json.Serialization.JsonPropertyName("cle_ministere_educatif")] string CleMinistereEducatif,
    [property: System.Text.Json.Serialization.JsonPropertyName("form_url")] string FormUrl);

/// <summary><c>GET /api/v1/jobs/bulk</c>: recruiter documents (reference §4.2) and the page.</summary>
public sealed record RecruitersPageDoc(object[] Data, PaginationDoc Pagination);

public sealed record PaginationDoc(
    int Page,
    [property: System.Text.Json.Serialization.JsonPropertyName("result_per_page")] int ResultPerPage,
    [property: System.Text.Json.Serialization.JsonPropertyName("number_of_page")] int NumberOfPage,
    int Total);

/// <summary><c>GET /api/v1/search</c>: a page of hits, the count, and the disjunctive facets (facet → value → count).</summary>
public sealed record TextSearchResponseDoc(
    TextHitDoc[] Hits, int NbHits, int Page, int NbPages, int HitsPerPage, Dictionary<string, Dictionary<string, int>> Facets);

/// <summary><c>kind</c>: formation, offre, offre_lba or entreprise; <c>distance</c> in km, null without a centre.</summary>
public sealed record TextHitDoc(
    string Kind, string Id, string? Title, string? Organisation, TextPlaceDoc Place, double? Distance, TextDatesDoc Dates,
    double Score, string? Preview,
    [property: System.Text.Json.Serialization.JsonPropertyName("matched_words")] string[] MatchedWords);

public sealed record TextPlaceDoc(string? City, double? Latitude, double? Longitude);

/// <summary>Days as yyyy-mm-dd, null when the item has none.</summary>
public sealed record TextDatesDoc(string? Created, string? Start);

/// <summary><c>GET /api/v1/search/suggest</c>; <c>kind</c>: title, organisation, rome or appellation.</summary>
public sealed record SuggestionsResponseDoc(SuggestionDoc[] Suggestions);

public sealed record SuggestionDoc(string Text, string Kind);
