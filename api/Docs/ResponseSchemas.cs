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
