using System.Text.Json;
using Alternance.Data;
using Alternance.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Alternance.Tests.Engine;

/// <summary>
/// Items read back from storage arrive with one string per field; a cell keeps them with the silo's shared instances of
/// their repeated values. What a caller reads of every item must not change, and an id given twice keeps the last item.
/// </summary>
public sealed class SharedStringsTests
{
    private static readonly ReferenceData Reference = ReferenceData.Load();

    [Fact]
    public void Items_read_back_from_storage_share_their_repeated_values_and_keep_every_field()
    {
        var generator = new DatasetGenerator(Reference, new GeneratorOptions { Scale = 0.02 });
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var strings = new SharedStrings();
        foreach (Source source in Enum.GetValues<Source>())
        {
            SearchItem[] generated = [.. generator.Items(source)];
            // Items as they reach a cell from different records (slots, deltas, posted one by one): deserialized one at a
            // time, every string its own instance (within one record the serializer keeps the instances it was given).
            SearchItem[] readBack = [.. generated.Select(item => serializer.Deserialize<SearchItem>(serializer.SerializeToArray(item))!)];
            var index = new SourceIndex(source, readBack, cell: 1, strings);

            Assert.Equal(generated.Length, index.Count);
            var byId = generated.ToDictionary(item => item.Id, StringComparer.Ordinal);
            foreach (SearchItem kept in index.Items)
            {
                // The oracle is the generated item's JSON, every public field of it.
                Assert.Equal(JsonSerializer.Serialize(byId[kept.Id], kept.GetType()), JsonSerializer.Serialize(kept, kept.GetType()));
                Assert.Same(kept, index.Get(kept.Id));
            }
            // Values every source repeats (places, labels): one instance per distinct value across the index.
            string?[] repeated = [.. index.Items.Select(RepeatedValue).Where(value => value is not null)];
            int distinctValues = repeated.Distinct(StringComparer.Ordinal).Count();
            int distinctInstances = repeated.Distinct(ReferenceEqualityComparer.Instance).Count();
            Assert.True(distinctValues < repeated.Length * 0.9, $"{source}: the sample should repeat these values ({distinctValues} of {repeated.Length}).");
            Assert.Equal(distinctValues, distinctInstances);
            // An item upserted one at a time (its own strings again) joins with the shared values.
            SearchItem upserted = serializer.Deserialize<SearchItem>(serializer.SerializeToArray(generated[^1]))!;
            SourceIndex next = index.With([upserted], []);
            Assert.Equal(JsonSerializer.Serialize(generated[^1], upserted.GetType()), JsonSerializer.Serialize(next.Get(upserted.Id), upserted.GetType()));
            Assert.Equal(distinctInstances, next.Items.Select(RepeatedValue).Where(value => value is not null).Distinct(ReferenceEqualityComparer.Instance).Count());
            // The ROME codes too, across items.
            Assert.Equal(
                index.Items.SelectMany(item => item.RomeCodes).Distinct(StringComparer.Ordinal).Count(),
                index.Items.SelectMany(item => item.RomeCodes).Distinct(ReferenceEqualityComparer.Instance).Count());
        }
    }

    private static string? RepeatedValue(SearchItem item) => item switch
    {
        FormationItem f => f.Localite,
        PeJobItem p => p.TypeContratLibelle,
        MatchaItem m => m.RomeLabel,
        CompanyItem c => c.City,
        _ => null,
    };

    [Fact]
    public void An_id_given_twice_keeps_the_last_item_and_every_id_is_found()
    {
        CompanyItem Company(string id, double latitude, string name) => new()
        {
            Id = id, Latitude = latitude, Longitude = 2.35, RomeCodes = ["M1607"], RaisonSociale = name,
        };
        SearchItem[] items =
        [
            Company("30000000000003", 48.80, "C"), Company("10000000000001", 48.81, "A first"),
            Company("20000000000002", 48.82, "B"), Company("10000000000001", 48.90, "A last"),
            Company("00000000000000", 48.83, "Z"),
        ];
        var index = new SourceIndex(Source.Company, items, cell: 1, new SharedStrings());

        Assert.Equal(4, index.Count);
        Assert.Equal("A last", ((CompanyItem)index.Get("10000000000001")!).RaisonSociale);
        foreach (string id in (string[])["00000000000000", "20000000000002", "30000000000003"]) Assert.Equal(id, index.Get(id)!.Id);
        Assert.Null(index.Get("10000000000000"));
        Assert.Null(index.Get(""));
        // The search sees the last item's place (48.90), not the first's (48.81).
        var query = new SourceQuery { Source = Source.Company, Latitude = 48.90, Longitude = 2.35, RadiusKm = 1, Romes = ["M1607"], Limit = 10 };
        Assert.Equal("10000000000001", Assert.Single(index.Search(query)).Id);
    }
}
