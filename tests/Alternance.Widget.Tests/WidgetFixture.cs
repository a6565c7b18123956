using System.Net;
using System.Text.Json;
using Alternance.Api.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using IRequest = Microsoft.Playwright.IRequest;

namespace Alternance.Widget.Tests;

/// <summary>
/// The API host of <c>Alternance.Api.Tests</c> (Kestrel on a free loopback port, embedded silo, in-memory storage,
/// bundled dataset at scale 0.02) with a mail folder of its own, and its public URL as the mail links' base.
/// </summary>
public sealed class WidgetHost : ApiHost
{
    public string MailFolder { get; } = Path.Combine(Path.GetTempPath(), "alternance-widget-tests", Guid.NewGuid().ToString("N")[..12], "mail");

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>A posted offer of the bundled feed that searches show (not expired at the service clock's instant) and
    /// that takes applications (its recruiter has an address).</summary>
    public MatchaItem LiveOffer() => Matchas.First(m => !string.IsNullOrEmpty(m.Recruiter.Email) && m.IsMultiPublished && m.JobStatus == "Active"
        && !OfferDates.IsExpired(m, Now.ToUnixTimeMilliseconds()));

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("Mail:Folder", MailFolder);
        builder.UseSetting("Mail:PublicUrl", BaseAddress.ToString().TrimEnd('/'));
        builder.UseSetting("Logging:LogLevel:Orleans", "Error");
    }

    protected override Task OnDisposedAsync()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(MailFolder)!, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// One host and one headless Debian chromium for the whole suite (started once: the dataset load and the browser
/// start are the slow parts). Pages get fresh browser contexts.
/// </summary>
public sealed class WidgetFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium: the tests never download a browser (<c>.ci/run</c> installs this one).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string Caller = "widget-tests";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public WidgetHost Host { get; } = new();

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => Host.BaseAddress;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does.");
        }
        await Host.InitializeAsync();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await ((IAsyncLifetime)Host).DisposeAsync();
    }

    /// <summary>A page in a fresh context (no cache, no storage), French, at the given viewport; its errors are collected.</summary>
    public async Task<WidgetPage> NewPage(int width = 1280, int height = 900)
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "fr-FR",
            BaseURL = BaseAddress.ToString(),
            // The map then moves without animations: what the tests count is on screen at once.
            ReducedMotion = ReducedMotion.Reduce,
        });
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return new WidgetPage(context, page);
    }

    /// <summary>An API answer as JSON, with this suite's caller.</summary>
    public async Task<JsonElement> Api(string pathAndQuery)
    {
        using HttpResponseMessage response = await Host.Http.GetAsync(pathAndQuery);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{pathAndQuery}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>A page and its context, with what went wrong in it.</summary>
public sealed class WidgetPage : IAsyncDisposable
{
    public WidgetPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.PageError += (_, error) => Errors.Add("page error: " + error);
        // A 4xx the page expects (a refused form) logs "Failed to load resource" too: answers are judged by status.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) Errors.Add("console: " + message.Text);
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 500 || response.Status == 404) Errors.Add($"{response.Status} {response.Url}");
        };
        page.Request += (_, request) => Requests.Add(request);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public List<string> Errors { get; } = [];

    public List<IRequest> Requests { get; } = [];

    public async Task Goto(string url)
    {
        IResponse? response = await Page.GotoAsync(url);
        Assert.NotNull(response);
        Assert.True(response.Ok, $"{url} answered {response.Status}");
    }

    /// <summary>Waits until the search page has shown the API's results and their markers (the marks the page sets then).</summary>
    public Task WaitForResults() =>
        Page.WaitForFunctionAsync("""
            () => {
              const results = performance.getEntriesByName('widget:results');
              if (!results.length) return false;
              if (!document.getElementById('map')) return true;
              const at = results[results.length - 1].startTime;
              return performance.getEntriesByName('widget:map').some(m => m.startTime >= at);
            }
            """);

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WidgetCollection : ICollectionFixture<WidgetFixture>
{
    public const string Name = "widget";
}

/// <summary>Screenshots for people to look at: written to a git-ignored folder beside the project.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(ProjectFolder(), "TestResults", "screenshots");

    public static async Task Save(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = true });
    }

    private static string ProjectFolder()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Alternance.Widget.Tests.csproj"))) return d.FullName;
        }
        return AppContext.BaseDirectory;
    }
}

/// <summary>Form controls by their label's text, which may end with the required-field asterisk.</summary>
public static class Labels
{
    public static System.Text.RegularExpressions.Regex Exactly(string label) =>
        new("^" + System.Text.RegularExpressions.Regex.Escape(label) + @"( \*)?$");
}
