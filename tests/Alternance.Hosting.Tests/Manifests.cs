using System.Diagnostics;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Alternance.Hosting.Tests;

/// <summary>An overlay of <c>deploy/k8s</c> rendered by <c>kubectl kustomize</c>, as <c>kubectl apply -k</c> would send it.</summary>
public sealed class RenderedOverlay
{
    public static readonly string[] Names = ["dev", "prod"];

    public static readonly string Root = Path.Combine(Built.RepositoryRoot, "deploy", "k8s");

    private RenderedOverlay(string name, List<JsonObject> objects)
    {
        Name = name;
        Objects = objects;
    }

    public string Name { get; }

    public List<JsonObject> Objects { get; }

    private static readonly Dictionary<string, RenderedOverlay> Rendered = [];

    /// <summary>Renders an overlay once per test run. prod needs its <c>secrets.env</c>: a copy of the tree gets the example's.</summary>
    public static RenderedOverlay Of(string name)
    {
        lock (Rendered)
        {
            if (Rendered.TryGetValue(name, out RenderedOverlay? done)) return done;
            using var copy = new TempFolder();
            CopyTree(Root, copy.Path);
            string overlay = Path.Combine(copy.Path, "overlays", name);
            string example = Path.Combine(overlay, "secrets.env.example");
            if (File.Exists(example)) File.Copy(example, Path.Combine(overlay, "secrets.env"));
            var rendered = new RenderedOverlay(name, Parse(Kustomize(overlay)));
            Rendered[name] = rendered;
            return rendered;
        }
    }

    private static string Kustomize(string directory)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("kustomize");
        info.ArgumentList.Add(directory);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "kubectl is not installed: these tests render deploy/k8s with `kubectl kustomize` and need kubectl >= 1.27 (kustomize v5 " +
                "inside: components, replacements). Install the kubectl binary from dl.k8s.io (Debian's kubernetes-client 1.20 is too old) and run again.", e);
        }
        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000)) throw new TimeoutException("kubectl kustomize did not finish within 60 s");
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {directory} failed: {error.Result}");
            return output.Result;
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (string dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            // A real secrets.env the platform team left in the tree is neither read nor copied.
            if (Path.GetFileName(file) == "secrets.env") continue;
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private static List<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => (JsonObject)ToJson(d.RootNode)!)];
    }

    /// <summary>YAML to JSON nodes; every scalar as a string (kustomize's output is what the API server gets).</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode scalar => scalar.Value is null ? null : JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind, string name) =>
        Assert.Single(OfKind(kind), o => (string?)o["metadata"]!["name"] == name);

    /// <summary>A generated object (ConfigMap, Secret) by its name before kustomize's content-hash suffix.</summary>
    public JsonObject Generated(string kind, string name) =>
        Assert.Single(OfKind(kind), o => ((string)o["metadata"]!["name"]!).StartsWith(name + "-", StringComparison.Ordinal));

    public static string NameOf(JsonNode o) => (string)o["metadata"]!["name"]!;

    /// <summary>The pod template of a Deployment or Job.</summary>
    public static JsonObject PodSpec(JsonObject workload) => (JsonObject)workload["spec"]!["template"]!["spec"]!;

    public static IEnumerable<JsonObject> Containers(JsonObject workload) => PodSpec(workload)["containers"]!.AsArray().Cast<JsonObject>();

    public static Dictionary<string, string> Labels(JsonNode? labels) =>
        labels is JsonObject map ? map.ToDictionary(p => p.Key, p => (string)p.Value!) : [];

    public IEnumerable<JsonObject> Workloads => OfKind("Deployment").Concat(OfKind("Job"));

    /// <summary>The workloads that run the project's image (not Azurite).</summary>
    public IEnumerable<JsonObject> OwnWorkloads => Workloads.Where(w => Containers(w).Any(c => ((string)c["image"]!).Contains("alternance-cluster")));
}
