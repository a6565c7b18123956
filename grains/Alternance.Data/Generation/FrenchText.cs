namespace Alternance.Data;

/// <summary>Word lists for the generator: common French names, streets and phrasing. Plausible, not real people.</summary>
internal static class FrenchText
{
    public static readonly string[] LastNames =
    [
        "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT", "SIMON", "MICHEL",
        "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE",
        "ROUSSEAU", "VINCENT", "MULLER", "LEFEVRE", "FAURE", "ANDRE", "MERCIER", "BLANC", "GUERIN", "BOYER", "GARNIER", "CHEVALIER",
        "FRANCOIS", "LEGRAND", "GAUTHIER", "GARCIA", "PERRIN", "ROBIN", "CLEMENT", "MORIN", "NICOLAS", "HENRY", "ROUSSEL", "MATHIEU",
        "GAUTIER", "MASSON", "MARCHAND", "DUVAL", "DENIS", "DUMONT", "MARIE", "LEMAIRE", "NOEL", "MEYER", "DUFOUR", "MEUNIER",
        "BRUN", "BLANCHARD", "GIRAUD", "JOLY", "RIVIERE", "LUCAS", "BRUNET", "GAILLARD", "BARBIER", "ARNAUD", "MARTINEZ", "GERARD",
        "ROCHE", "RENARD", "SCHMITT", "ROY", "LEROUX", "COLIN", "VIDAL", "CARON", "PICARD", "ROGER", "FABRE", "AUBERT", "LEMOINE",
        "RENAUD", "DUMAS", "LACROIX", "OLIVIER", "PHILIPPE", "BOURGEOIS", "PIERRE", "BENOIT", "REY", "LECLERC", "PAYET", "ROLLAND",
        "LECLERCQ", "GUILLAUME", "LECOMTE", "LOPEZ", "JEAN", "DUPUY", "GUILLOT", "HUBERT", "BERGER", "CARPENTIER", "SANCHEZ",
    ];

    public static readonly string[] FirstNames =
    [
        "Marie", "Jean", "Pierre", "Michel", "Philippe", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Alain",
        "Nicolas", "Christophe", "Stéphane", "Sandrine", "Céline", "Julien", "Camille", "Léa", "Manon", "Emma", "Chloé", "Inès",
        "Lucas", "Hugo", "Louis", "Thomas", "Nathan", "Théo", "Sarah", "Julie", "Laura", "Pauline", "Mathieu", "Antoine", "Kevin",
        "Aurélie", "Émilie", "Vincent", "Sébastien", "Karim", "Nadia", "Mohamed", "Fatima", "Yasmine", "Mehdi", "Sophie", "Élodie",
        "Claire", "Anne", "Valérie", "Patrick", "Olivier", "Laurent", "David", "Éric", "Cédric", "Jérôme", "Damien", "Audrey",
    ];

    public static readonly string[] Streets =
    [
        "RUE DE LA REPUBLIQUE", "AVENUE JEAN JAURES", "RUE VICTOR HUGO", "RUE DU GENERAL DE GAULLE", "RUE PASTEUR", "PLACE DE LA MAIRIE",
        "RUE DE LA GARE", "GRANDE RUE", "RUE DE L EGLISE", "AVENUE DE LA LIBERATION", "RUE JULES FERRY", "BOULEVARD GAMBETTA",
        "RUE DES ECOLES", "RUE NATIONALE", "RUE DU MOULIN", "CHEMIN DES VIGNES", "RUE DE LA PAIX", "AVENUE DU MARECHAL LECLERC",
        "RUE ANATOLE FRANCE", "RUE EMILE ZOLA", "RUE DU STADE", "ALLEE DES TILLEULS", "RUE DES LILAS", "ROUTE DE PARIS",
        "RUE DE LA LIBERTE", "RUE DU 8 MAI 1945", "RUE DU CHATEAU", "RUE DES JARDINS", "ZONE ARTISANALE DES PRES", "RUE JEAN MOULIN",
        "AVENUE DE LA GARE", "RUE DU COMMERCE", "BOULEVARD DE LA REPUBLIQUE", "RUE PIERRE ET MARIE CURIE", "RUE DE VERDUN",
        "RUE DES ARTISANS", "PARC D ACTIVITES DU BOIS", "RUE LOUIS PASTEUR", "AVENUE DES FLEURS", "QUAI DE LA LOIRE",
    ];

    public static readonly string[] CompanyPatterns =
    [
        "{A} {N}", "{A} DU CENTRE", "{A} {N} ET FILS", "SARL {N}", "SAS {N}", "{N} {A}", "ETS {N}", "{A} DE LA GARE",
        "{A} {C}", "GROUPE {N}", "{N} & ASSOCIES", "{A} DES {N}S", "MAISON {N}", "{A} MODERNE", "{A} {N} {N2}",
    ];

    public static readonly string[] CfaPatterns =
    [
        "CFA {C}", "CFA DES METIERS {C}", "LYCEE PROFESSIONNEL {P}", "CFA BTP {D}", "IUT DE {C}", "UNIVERSITE DE {C}",
        "CCI {C} FORMATION", "MFR DE {C}", "AFPA {C}", "ECOLE SUPERIEURE DE COMMERCE {C}", "CFA DE LA CHAMBRE DE METIERS {D}",
        "LYCEE {P}", "INSTITUT DE FORMATION {C}", "CFA AGRICOLE {D}", "ECOLE D INGENIEURS {C}", "CFA SANITAIRE ET SOCIAL {C}",
    ];

    public static readonly string[] FamousPeople =
    [
        "JEAN MOULIN", "VICTOR HUGO", "MARIE CURIE", "JULES VERNE", "LOUIS PASTEUR", "JEAN JAURES", "SIMONE VEIL", "GUSTAVE EIFFEL",
        "ALBERT CAMUS", "GEORGE SAND", "HENRI MATISSE", "COLETTE", "LEONARD DE VINCI", "JACQUES PREVERT", "CAMILLE CLAUDEL",
    ];

    public static readonly string[] JobIntros =
    [
        "Nous recherchons un(e) apprenti(e) motivé(e) pour rejoindre notre équipe.",
        "Dans le cadre de notre développement, nous proposons un contrat en alternance.",
        "Entreprise familiale à taille humaine, nous formons chaque année des alternants.",
        "Vous préparez un diplôme en alternance et souhaitez apprendre un métier concret ?",
        "Rejoignez une équipe dynamique et bienveillante qui vous accompagnera tout au long de votre formation.",
    ];

    public static readonly string[] JobTasks =
    [
        "Vous participerez aux activités quotidiennes aux côtés de votre tuteur.",
        "Vous serez formé(e) à nos méthodes de travail et à nos outils.",
        "Vous assurerez l'accueil et le conseil de la clientèle.",
        "Vous contribuerez à la préparation, au suivi et à la qualité des réalisations.",
        "Vous appliquerez les règles d'hygiène et de sécurité.",
        "Vous travaillerez en équipe et rendrez compte à votre responsable.",
    ];

    public static readonly string[] JobProfiles =
    [
        "Débutant(e) accepté(e), la motivation et le sérieux sont essentiels.",
        "Vous êtes ponctuel(le), curieux(se) et avez le goût du travail bien fait.",
        "Permis B apprécié. Poste accessible aux personnes en situation de handicap.",
        "Une première expérience (stage, job d'été) serait un plus.",
    ];

    public static readonly string[] EmployerDescriptions =
    [
        "Entreprise locale reconnue depuis plus de vingt ans.",
        "PME en croissance, attachée à la transmission des savoir-faire.",
        "Établissement indépendant, clientèle fidèle et équipe soudée.",
        "Réseau national présent dans toute la France.",
    ];

    public static readonly string[] TrainingObjectives =
    [
        "Acquérir les compétences professionnelles du métier et obtenir le diplôme.",
        "Former des professionnels qualifiés, opérationnels dès la fin de la formation.",
        "Maîtriser les techniques du métier et les règles de sécurité.",
    ];

    public static readonly string[] TrainingContents =
    [
        "Enseignements professionnels, enseignements généraux, périodes en entreprise.",
        "Modules techniques, mises en situation, projet professionnel et accompagnement individualisé.",
        "Cours théoriques au centre de formation en alternance avec la pratique en entreprise.",
    ];

    public static readonly string[] JobLevelLabels =
    [
        "Indifférent", "Cap, autres formations niveau (Infrabac)", "BP, Bac, autres formations niveau (Bac)",
        "BTS, DEUST, autres formations niveau (Bac+2)", "Licence, autres formations niveau (Bac+3)",
        "Master, titre ingénieur, autres formations niveau (Bac+5)",
    ];

    public static readonly string[] JobRythms =
    [
        "Indifférent", "1 jour / 4 jours", "2 jours / 3 jours", "1 semaine / 1 semaine", "2 semaines / 3 semaines", "6 semaines / 6 semaines",
    ];

    public static readonly string[] EstablishmentSizes =
    [
        "0 salarié", "1 ou 2 salariés", "3 à 5 salariés", "6 à 9 salariés", "10 à 19 salariés", "20 à 49 salariés", "50 à 99 salariés",
        "100 à 199 salariés", "200 à 249 salariés", "250 à 499 salariés", "500 à 999 salariés",
    ];

    public static readonly string[] CompanySizes =
    [
        "0-0", "1-2", "3-5", "6-9", "10-19", "20-49", "50-99", "100-199", "200-249", "250-499", "500-999", "1000-1999",
    ];

    public static readonly long[] SizeWeights = [8, 22, 20, 15, 14, 10, 5, 3, 1, 1, 1, 1];

    public static readonly string[] Origins = ["lba", "akto", "opcoep", "1jeune1solution", "atlas", "constructys", "matcha"];

    public static readonly string[] WorkDurations =
    [
        "35H Horaires normaux", "35H Travail en journée", "35H Travail du lundi au vendredi", "39H Horaires normaux", "24H Horaires normaux",
    ];

    /// <summary>Official-looking URLs of the eleven OPCOs, by short name.</summary>
    public static string OpcoUrl(string key) => key switch
    {
        "AFDAS" => "https://www.afdas.com",
        "AKTO" => "https://www.akto.fr",
        "ATLAS" => "https://www.opco-atlas.fr",
        "CONSTRUCTYS" => "https://www.constructys.fr",
        "OPCOMMERCE" => "https://www.lopcommerce.com",
        "OCAPIAT" => "https://www.ocapiat.fr",
        "OPCO2I" => "https://www.opco2i.fr",
        "EP" => "https://www.opcoep.fr",
        "MOBILITE" => "https://www.opcomobilites.fr",
        "SANTE" => "https://www.opco-sante.fr",
        "UNIFORMATION" => "https://www.uniformation.fr",
        _ => "https://www.francecompetences.fr",
    };

    /// <summary>Upper case without accents (the catalogue's and SIRENE's style), ASCII only, no culture involved.</summary>
    public static string UpperAscii(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length + 4);
        foreach (var c in s)
        {
            switch (c)
            {
                case >= 'a' and <= 'z': sb.Append((char)(c - 32)); break;
                case 'à' or 'â' or 'ä' or 'á' or 'À' or 'Â' or 'Ä': sb.Append('A'); break;
                case 'é' or 'è' or 'ê' or 'ë' or 'É' or 'È' or 'Ê' or 'Ë': sb.Append('E'); break;
                case 'î' or 'ï' or 'í' or 'Î' or 'Ï': sb.Append('I'); break;
                case 'ô' or 'ö' or 'ó' or 'Ô' or 'Ö': sb.Append('O'); break;
                case 'ù' or 'û' or 'ü' or 'ú' or 'Ù' or 'Û' or 'Ü': sb.Append('U'); break;
                case 'ç' or 'Ç': sb.Append('C'); break;
                case 'ÿ' or 'Ÿ': sb.Append('Y'); break;
                case 'œ' or 'Œ': sb.Append("OE"); break;
                case 'æ' or 'Æ': sb.Append("AE"); break;
                case '’' or '‘' or '\'': sb.Append('\''); break;
                case '–' or '—': sb.Append('-'); break;
                case < (char)128: sb.Append(c); break;
                default: sb.Append(' '); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>A lower-case slug for e-mail domains and URLs.</summary>
    public static string Slug(string s, int max = 24)
    {
        var upper = UpperAscii(s);
        var sb = new System.Text.StringBuilder(Math.Min(upper.Length, max));
        bool dash = false;
        foreach (var c in upper)
        {
            if (sb.Length >= max) break;
            if (c is >= 'A' and <= 'Z' or >= '0' and <= '9')
            {
                if (dash && sb.Length > 0) sb.Append('-');
                sb.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
                dash = false;
            }
            else dash = true;
        }
        return sb.Length == 0 ? "entreprise" : sb.ToString();
    }
}
