namespace Alternance;

// Which fields of each item go through SharedStrings: those whose values repeat across items by nature (places, labels,
// a training centre's or an employer's details, codes). Ids (an employer's SIRET on its offers too: most employers of
// the national feed post once), descriptions, contacts and timestamps are left alone.
// A recruiter's details (MatchaItem.Recruiter) are one object for all its jobs already.

public abstract partial record class SearchItem
{
    /// <summary>This item with the shared instance of each repeated value; itself when it holds them already.</summary>
    public abstract SearchItem WithSharedStrings(SharedStrings strings);
}

public sealed partial record class FormationItem
{
    public override SearchItem WithSharedStrings(SharedStrings strings)
    {
        var pass = new SharingPass(strings);
        string[] romeCodes = pass.Get(RomeCodes);
        string? intituleLong = pass.Get(IntituleLong), intituleCourt = pass.Get(IntituleCourt), diplome = pass.Get(Diplome),
            niveau = pass.Get(Niveau), cfd = pass.Get(Cfd), rncpCode = pass.Get(RncpCode), rncpIntitule = pass.Get(RncpIntitule),
            adresse = pass.Get(Adresse), codePostal = pass.Get(CodePostal), codeCommuneInsee = pass.Get(CodeCommuneInsee),
            localite = pass.Get(Localite), numDepartement = pass.Get(NumDepartement), region = pass.Get(Region),
            formateurSiret = pass.Get(FormateurSiret), formateurEnseigne = pass.Get(FormateurEnseigne),
            formateurRaisonSociale = pass.Get(FormateurRaisonSociale), formateurUai = pass.Get(FormateurUai),
            formateurCedex = pass.Get(FormateurCedex), gestionnaireSiret = pass.Get(GestionnaireSiret),
            gestionnaireRaisonSociale = pass.Get(GestionnaireRaisonSociale), gestionnaireUai = pass.Get(GestionnaireUai),
            phone = pass.Get(Phone), email = pass.Get(Email), onisepUrl = pass.Get(OnisepUrl), capacite = pass.Get(Capacite);
        string[] dateDebut = pass.Get(DateDebut), dateFin = pass.Get(DateFin);
        if (!pass.Changed) return this;
        return this with
        {
            RomeCodes = romeCodes, IntituleLong = intituleLong, IntituleCourt = intituleCourt, Diplome = diplome, Niveau = niveau,
            Cfd = cfd, RncpCode = rncpCode, RncpIntitule = rncpIntitule, Adresse = adresse, CodePostal = codePostal,
            CodeCommuneInsee = codeCommuneInsee, Localite = localite, NumDepartement = numDepartement, Region = region,
            FormateurSiret = formateurSiret, FormateurEnseigne = formateurEnseigne, FormateurRaisonSociale = formateurRaisonSociale,
            FormateurUai = formateurUai, FormateurCedex = formateurCedex, GestionnaireSiret = gestionnaireSiret,
            GestionnaireRaisonSociale = gestionnaireRaisonSociale, GestionnaireUai = gestionnaireUai, Phone = phone, Email = email,
            OnisepUrl = onisepUrl, Capacite = capacite, DateDebut = dateDebut, DateFin = dateFin,
        };
    }
}

public sealed partial record class PeJobItem
{
    public override SearchItem WithSharedStrings(SharedStrings strings)
    {
        var pass = new SharingPass(strings);
        string[] romeCodes = pass.Get(RomeCodes);
        string? intitule = pass.Get(Intitule), lieuLibelle = pass.Get(LieuLibelle), codePostal = pass.Get(CodePostal),
            communeInsee = pass.Get(CommuneInsee), appellationLibelle = pass.Get(AppellationLibelle), entrepriseNom = pass.Get(EntrepriseNom),
            entrepriseDescription = pass.Get(EntrepriseDescription), entrepriseLogo = pass.Get(EntrepriseLogo),
            typeContrat = pass.Get(TypeContrat), typeContratLibelle = pass.Get(TypeContratLibelle),
            natureContrat = pass.Get(NatureContrat), dureeTravailLibelle = pass.Get(DureeTravailLibelle),
            secteurActivite = pass.Get(SecteurActivite), secteurActiviteLibelle = pass.Get(SecteurActiviteLibelle),
            niveauFormation = pass.Get(NiveauFormation), opco = pass.Get(Opco), opcoUrl = pass.Get(OpcoUrl);
        if (!pass.Changed) return this;
        return this with
        {
            RomeCodes = romeCodes, Intitule = intitule, LieuLibelle = lieuLibelle, CodePostal = codePostal, CommuneInsee = communeInsee,
            AppellationLibelle = appellationLibelle, EntrepriseNom = entrepriseNom, EntrepriseDescription = entrepriseDescription,
            EntrepriseLogo = entrepriseLogo, TypeContrat = typeContrat,
            TypeContratLibelle = typeContratLibelle, NatureContrat = natureContrat, DureeTravailLibelle = dureeTravailLibelle,
            SecteurActivite = secteurActivite, SecteurActiviteLibelle = secteurActiviteLibelle, NiveauFormation = niveauFormation,
            Opco = opco, OpcoUrl = opcoUrl,
        };
    }
}

public sealed partial record class MatchaItem
{
    public override SearchItem WithSharedStrings(SharedStrings strings)
    {
        var pass = new SharingPass(strings);
        string[] romeCodes = pass.Get(RomeCodes), jobType = pass.Get(JobType);
        string? romeLabel = pass.Get(RomeLabel), romeAppellationLabel = pass.Get(RomeAppellationLabel),
            jobLevelLabel = pass.Get(JobLevelLabel), jobStartDate = pass.Get(JobStartDate), jobRythm = pass.Get(JobRythm),
            jobEmployerDescription = pass.Get(JobEmployerDescription);
        string jobStatus = pass.Get(JobStatus)!;
        if (!pass.Changed) return this;
        return this with
        {
            RomeCodes = romeCodes, JobType = jobType, RomeLabel = romeLabel, RomeAppellationLabel = romeAppellationLabel,
            JobLevelLabel = jobLevelLabel, JobStartDate = jobStartDate, JobRythm = jobRythm,
            JobEmployerDescription = jobEmployerDescription, JobStatus = jobStatus,
        };
    }
}

public sealed partial record class CompanyItem
{
    public override SearchItem WithSharedStrings(SharedStrings strings)
    {
        var pass = new SharingPass(strings);
        string[] romeCodes = pass.Get(RomeCodes);
        string? nafCode = pass.Get(NafCode), nafLabel = pass.Get(NafLabel), streetNumber = pass.Get(StreetNumber),
            streetName = pass.Get(StreetName), inseeCityCode = pass.Get(InseeCityCode), zipCode = pass.Get(ZipCode), city = pass.Get(City),
            companySize = pass.Get(CompanySize), opco = pass.Get(Opco), opcoShortName = pass.Get(OpcoShortName), opcoUrl = pass.Get(OpcoUrl);
        if (!pass.Changed) return this;
        return this with
        {
            RomeCodes = romeCodes, NafCode = nafCode, NafLabel = nafLabel, StreetNumber = streetNumber, StreetName = streetName,
            InseeCityCode = inseeCityCode, ZipCode = zipCode, City = city, CompanySize = companySize, Opco = opco,
            OpcoShortName = opcoShortName, OpcoUrl = opcoUrl,
        };
    }
}
