using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alternance.Api.Dashboard;
using Alternance.Api.Dataset;
using Alternance.Api.Json;
using Alternance.Search;
using Alternance.Silo;

namespace Alternance.Hosting.Tests;

/// <summary>
/// deploy/k8s rendered with <c>kubectl kustomize</c>, overlay by overlay: the facts that must agree with each other and
/// with the code (the options it binds, the ports it listens on, what the Dockerfile builds) do.
/// </summary>
public sealed partial class KustomizeTests
{
    public static TheoryData<string> Overlays => new(RenderedOverlay.Names);

    private static readonly Dictionary<string, string> Namespaces = new() { ["dev"] = "alternance-dev", ["prod"] = "alternance" };

    /// <summary>The options classes the services bind, by their section (each class's own <c>Section</c> constant).</summary>
    private static readonly Dictionary<string, Type> OptionsBySection = new[]
    {
        typeof(ClusterHostingOptions), typeof(DashboardOptions), typeof(PrivacyOptions), typeof(DatasetOptions), typeof(SearchOptions), typeof(CliOptions),
    }.ToDictionary(t => (string)t.GetField("Section")!.GetValue(null)!, t => t, StringComparer.OrdinalIgnoreCase);

    /// <summary>Variables read by Orleans Kubernetes hosting itself (checked against its assembly) and OpenTelemetry.</summary>
    private static readonly string[] KubernetesHostingVariables = ["POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_object_is_in_the_overlay_s_namespace(string overlay)
    {
        RenderedOverlay rendered = RenderedOverlay.Of(overlay);
        string ns = Namespaces[overlay];
        Assert.Equal(ns, RenderedOverlay.NameOf(Assert.Single(rendered.OfKind("Namespace"))));
        foreach (JsonObject o in rendered.Objects.Where(o => (string?)o["kind"] != "Namespace"))
        {
            Assert.True((string?)o["metadata"]!["namespace"] == ns, $"{o["kind"]} {RenderedOverlay.NameOf(o)} is not in {ns}");
        }
        JsonObject binding = rendered.Single("RoleBinding", "alternance-silo-orleans-hosting");
        Assert.All(binding["subjects"]!.AsArray(), s => Assert.Equal(ns, (string?)s!["namespace"]));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Selectors_match_the_pods_they_select(string overlay)
    {
        RenderedOverlay rendered = RenderedOverlay.Of(overlay);
        var pods = rendered.OfKind("Deployment").ToDictionary(RenderedOverlay.NameOf, d => RenderedOverlay.Labels(d["spec"]!["template"]!["metadata"]!["labels"]));
        foreach (JsonObject deployment in rendered.OfKind("Deployment"))
        {
            var selector = RenderedOverlay.Labels(deployment["spec"]!["selector"]!["matchLabels"]);
            Assert.NotEmpty(selector);
            Assert.All(selector, l => Assert.Equal(l.Value, pods[RenderedOverlay.NameOf(deployment)].GetValueOrDefault(l.Key)));
        }
        IEnumerable<string> Selected(Dictionary<string, string> selector) =>
            pods.Where(p => selector.All(l => p.Value.GetValueOrDefault(l.Key) == l.Value)).Select(p => p.Key);
        JsonObject service = rendered.Single("Service", "alternance-api");
        Assert.Equal(["alternance-api"], Selected(RenderedOverlay.Labels(service["spec"]!["selector"])));
        Assert.Equal(["alternance-api"], Selected(RenderedOverlay.Labels(rendered.Single("PodDisruptionBudget", "alternance-api")["spec"]!["selector"]!["matchLabels"])));
        Assert.Equal(["alternance-silo"], Selected(RenderedOverlay.Labels(rendered.Single("PodDisruptionBudget", "alternance-silo")["spec"]!["selector"]!["matchLabels"])));
        JsonNode target = rendered.Single("HorizontalPodAutoscaler", "alternance-api")["spec"]!["scaleTargetRef"]!;
        Assert.Equal("Deployment", (string?)target["kind"]);
        Assert.Contains((string)target["name"]!, pods.Keys);
        // The Service's target port is a port the API container declares.
        string targetPort = (string)service["spec"]!["ports"]![0]!["targetPort"]!;
        Assert.Contains(targetPort, RenderedOverlay.Containers(rendered.Single("Deployment", "alternance-api")).Single()["ports"]!.AsArray().Select(p => (string?)p!["name"]));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silo_pods_carry_the_cluster_identity_and_the_downward_api_as_Orleans_Kubernetes_hosting_reads_them(string overlay)
    {
        RenderedOverlay rendered = RenderedOverlay.Of(overlay);
        JsonObject silo = rendered.Single("Deployment", "alternance-silo");
        JsonObject config = rendered.Generated("ConfigMap", "alternance-config");
        string serviceId = (string)config["data"]!["Cluster__ServiceId"]!, clusterId = (string)config["data"]!["Cluster__ClusterId"]!;
        Assert.Equal(overlay == "prod" ? "alternance-prod" : "alternance-dev", clusterId);

        var labels = RenderedOverlay.Labels(silo["spec"]!["template"]!["metadata"]!["labels"]);
        Assert.Equal(serviceId, labels["orleans/serviceId"]);
        Assert.Equal(clusterId, labels["orleans/clusterId"]);

        JsonObject container = RenderedOverlay.Containers(silo).Single();
        var env = container["env"]!.AsArray().Cast<JsonObject>().ToDictionary(e => (string)e["name"]!);
        Assert.Equal("metadata.name", (string?)env["POD_NAME"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("metadata.namespace", (string?)env["POD_NAMESPACE"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("status.podIP", (string?)env["POD_IP"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("$(POD_IP)", (string?)env["Cluster__AdvertisedIPAddress"]["value"]);
        foreach (var (variable, key) in new[] { ("ORLEANS_SERVICE_ID", "Cluster__ServiceId"), ("ORLEANS_CLUSTER_ID", "Cluster__ClusterId") })
        {
            JsonNode reference = env[variable]["valueFrom"]!["configMapKeyRef"]!;
            Assert.Equal(RenderedOverlay.NameOf(config), (string?)reference["name"]);
            Assert.Equal(key, (string?)reference["key"]);
        }

        // The names and labels are the package's own: found in Orleans.Hosting.Kubernetes.dll's string literals.
        byte[] assembly = File.ReadAllBytes(typeof(Orleans.Hosting.Kubernetes.KubernetesHostingOptions).Assembly.Location);
        foreach (string literal in KubernetesHostingVariables.Concat(["orleans/serviceId", "orleans/clusterId"]))
        {
            Assert.True(assembly.AsSpan().IndexOf(Encoding.Unicode.GetBytes(literal)) >= 0, $"{literal} is not a string of Orleans Kubernetes hosting");
        }

        // Its pod watching: the silos' service account, bound to get/list/watch/patch on pods.
        string account = (string)RenderedOverlay.PodSpec(silo)["serviceAccountName"]!;
        JsonObject binding = Assert.Single(rendered.OfKind("RoleBinding"), b => b["subjects"]!.AsArray().Any(s => (string?)s!["name"] == account && (string?)s["kind"] == "ServiceAccount"));
        JsonObject role = rendered.Single("Role", (string)binding["roleRef"]!["name"]!);
        JsonNode rule = Assert.Single(role["rules"]!.AsArray())!;
        Assert.Equal(["pods"], rule["resources"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(["get", "list", "patch", "watch"], rule["verbs"]!.AsArray().Select(v => (string)v!).Order());
        rendered.Single("ServiceAccount", account);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_setting_given_to_a_container_is_one_the_code_binds(string overlay)
    {
        RenderedOverlay rendered = RenderedOverlay.Of(overlay);
        var problems = new List<string>();
        foreach (JsonObject workload in rendered.OwnWorkloads)
        {
            foreach (JsonObject container in RenderedOverlay.Containers(workload))
            {
                var names = new List<string>();
                foreach (JsonObject from in container["envFrom"]?.AsArray().Cast<JsonObject>() ?? [])
                {
                    string map = (string)from["configMapRef"]!["name"]!;
                    names.AddRange(((JsonObject)rendered.Single("ConfigMap", map)["data"]!).Select(p => p.Key));
                }
                names.AddRange(container["env"]?.AsArray().Select(e => (string)e!["name"]!) ?? []);
                foreach (string name in names)
                {
                    if (!IsBound(name)) problems.Add($"{RenderedOverlay.NameOf(workload)}/{container["name"]}: {name} is read by nothing");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Section__Property of an options class, a key the code reads by name, or a variable Orleans Kubernetes hosting reads.</summary>
    private static bool IsBound(string name)
    {
        if (KubernetesHostingVariables.Contains(name) || name == TraceExport.EndpointKey) return true;
        string key = name.Replace("__", ":");
        if (string.Equals(key, TraceExport.SampleRatioKey, StringComparison.OrdinalIgnoreCase)) return true;
        string[] parts = key.Split(':');
        return parts.Length == 2 && OptionsBySection.TryGetValue(parts[0], out Type? options)
            && options.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { CanWrite: true };
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Container_ports_are_the_ports_the_services_listen_on(string overlay)
    {
        RenderedOverlay rendered = RenderedOverlay.Of(overlay);
        JsonObject config = rendered.Generated("ConfigMap", "alternance-config");
        var defaults = new ClusterHostingOptions();
        int Setting(string key, int fallback) => config["data"]![key] is { } value ? int.Parse((string)value!) : fallback;

        JsonObject silo = RenderedOverlay.Containers(rendered.Single("Deployment", "alternance-silo")).Single();
        Assert.Equal(Setting("Cluster__SiloPort", defaults.SiloPort), Port(silo, "silo"));
        Assert.Equal(Setting("Cluster__GatewayPort", defaults.GatewayPort), Port(silo, "gateway"));
        foreach (string name in new[] { "alternance-silo", "alternance-api" })
        {
            JsonObject deployment = rendered.Single("Deployment", name);
            JsonObject container = RenderedOverlay.Containers(deployment).Single();
            // The HTTP port is the one the process is told to listen on (--urls), and the one Prometheus scrapes.
            string[] args = [.. container["args"]!.AsArray().Select(a => (string)a!)];
            string urls = args[Array.IndexOf(args, "--urls") + 1];
            Assert.Equal(new Uri(urls).Port, Port(container, "http"));
            Assert.Equal("0.0.0.0", new Uri(urls).Host);
            Assert.Equal(Port(container, "http").ToString(), (string?)deployment["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/port"]);
            foreach (string probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            {
                Assert.Equal("http", (string?)container[probe]!["httpGet"]!["port"]);
            }
        }
    }

    private static int Port(JsonObject container, string name) =>
        int.Parse((string)Assert.Single(container["ports"]!.AsArray(), p => (string?)p!["name"] == name)!["containerPort"]!);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_secret_and_config_reference_names_a_rendered_key(string overlay)
    {
        RenderedOverlay rendered = RenderedOverlay.Of(overlay);
        int secretReferences = 0;
        foreach (JsonObject workload in rendered.Workloads)
        {
            foreach (JsonObject container in RenderedOverlay.Containers(workload))
            {
                foreach (JsonObject variable in container["env"]?.AsArray().Cast<JsonObject>() ?? [])
                {
                    if (variable["valueFrom"]?["secretKeyRef"] is JsonObject secret)
                    {
                        secretReferences++;
                        JsonObject data = (JsonObject)rendered.Single("Secret", (string)secret["name"]!)["data"]!;
                        Assert.True(data.ContainsKey((string)secret["key"]!), $"{variable["name"]}: no key {secret["key"]} in Secret {secret["name"]}");
                        Assert.NotEmpty(Convert.FromBase64String((string)data[(string)secret["key"]!]!));
                    }
                    if (variable["valueFrom"]?["configMapKeyRef"] is JsonObject map)
                    {
                        JsonObject data = (JsonObject)rendered.Single("ConfigMap", (string)map["name"]!)["data"]!;
                        Assert.True(data.ContainsKey((string)map["key"]!), $"{variable["name"]}: no key {map["key"]} in ConfigMap {map["name"]}");
                    }
                }
                foreach (JsonObject from in container["envFrom"]?.AsArray().Cast<JsonObject>() ?? [])
                {
                    rendered.Single("ConfigMap", (string)from["configMapRef"]!["name"]!);
                }
            }
        }
        Assert.True(secretReferences >= 3, "the silos, API nodes (and the load Job) read the storage connection from the Secret");
        // The storage connection the silos get is the one the API nodes get.
        string SecretOf(string deployment) => (string)RenderedOverlay.Containers(rendered.Single("Deployment", deployment)).Single()["env"]!.AsArray()
            .Single(e => (string?)e!["name"] == "Cluster__AzureStorageConnectionString")!["valueFrom"]!["secretKeyRef"]!.ToJsonString();
        Assert.Equal(SecretOf("alternance-silo"), SecretOf("alternance-api"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_container_of_the_project_runs_one_image_and_a_program_the_Dockerfile_builds(string overlay)
    {
        RenderedOverlay rendered = RenderedOverlay.Of(overlay);
        string dockerfile = File.ReadAllText(Path.Combine(Built.RepositoryRoot, "deploy", "Dockerfile"));
        // "dotnet publish api/Alternance.Api.csproj ... -o /app/api" builds /app/api/Alternance.Api.dll.
        var built = Publish().Matches(dockerfile)
            .Select(m => $"{m.Groups["output"].Value}/{Path.GetFileNameWithoutExtension(m.Groups["project"].Value)}.dll").ToHashSet();
        Assert.Equal(["/app/api/Alternance.Api.dll", "/app/silo/Alternance.Silo.dll"], built.Order());
        foreach (string project in Publish().Matches(dockerfile).Select(m => m.Groups["project"].Value))
        {
            Assert.True(File.Exists(Path.Combine(Built.RepositoryRoot, project)), $"the Dockerfile publishes {project}, which does not exist");
        }

        var images = new HashSet<string>();
        foreach (JsonObject workload in rendered.OwnWorkloads)
        {
            foreach (JsonObject container in RenderedOverlay.Containers(workload))
            {
                images.Add((string)container["image"]!);
                string command = string.Join(' ', container["args"]!.AsArray().Select(a => (string)a!));
                var programs = Program().Matches(command).Select(m => m.Value).ToList();
                Assert.NotEmpty(programs);
                Assert.All(programs, p => Assert.Contains(p, built));
            }
        }
        string image = Assert.Single(images);
        Assert.Equal(overlay == "prod" ? "registry.example.org/alternance-cluster:1.0.0" : "alternance-cluster:dev", image);
        Assert.DoesNotContain(":latest", image);
    }

    [GeneratedRegex(@"dotnet publish (?<project>\S+\.csproj)\b.*?-o (?<output>/\S+)")]
    private static partial Regex Publish();

    [GeneratedRegex(@"/app/\S+\.dll")]
    private static partial Regex Program();

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_container_asks_for_cpu_and_memory_and_is_bounded_in_memory(string overlay)
    {
        foreach (JsonObject workload in RenderedOverlay.Of(overlay).Workloads)
        {
            foreach (JsonObject container in RenderedOverlay.Containers(workload))
            {
                JsonNode resources = container["resources"]!;
                Assert.NotNull(resources["requests"]?["cpu"]);
                Assert.NotNull(resources["requests"]?["memory"]);
                Assert.NotNull(resources["limits"]?["memory"]);
            }
        }
    }

    [Fact]
    public void Only_the_dev_overlay_loads_the_synthetic_dataset_a_replace_would_wipe_real_feeds()
    {
        JsonObject job = Assert.Single(RenderedOverlay.Of("dev").OfKind("Job"));
        string script = string.Join(' ', RenderedOverlay.Containers(job).Single()["args"]!.AsArray().Select(a => (string)a!));
        Assert.Contains("Alternance.Silo.dll generate", script);
        Assert.Contains("Alternance.Silo.dll import", script);
        Assert.Empty(RenderedOverlay.Of("prod").OfKind("Job"));
    }
}

/// <summary>The probes of every overlay, asked of the running services (a silo and an API node, ready).</summary>
[Collection(ServicesCollection.Name)]
public sealed class ProbeTests(ClusterFixture cluster)
{
    [Theory]
    [MemberData(nameof(KustomizeTests.Overlays), MemberType = typeof(KustomizeTests))]
    public async Task Every_probe_path_answers_200_on_the_service_it_probes(string overlay)
    {
        RenderedOverlay rendered = RenderedOverlay.Of(overlay);
        foreach (var (deployment, http) in new[] { ("alternance-silo", cluster.Silo), ("alternance-api", cluster.Api) })
        {
            JsonObject container = RenderedOverlay.Containers(rendered.Single("Deployment", deployment)).Single();
            foreach (string probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            {
                string path = (string)container[probe]!["httpGet"]!["path"]!;
                using HttpResponseMessage response = await http.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{deployment} {probe} {path}: {(int)response.StatusCode}");
            }
        }
    }
}
