using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Alternance.Tests.Engine;

/// <summary>A cell's answer crosses the wire in its own compact form: every field of every hit comes back as it was.</summary>
public sealed class CellHitsCodecTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void Every_hit_comes_back_as_it_was_written()
    {
        var random = new Random(4);
        const long cell = 0x831fb4fffffffff;
        string[] ids = ["24_1234_5678#L01", "é-ü-中文-\u2028", "", new string('x', 300), "106ZWVB"];
        for (int round = 0; round < 50; round++)
        {
            var perQuery = new Hit[random.Next(0, 5)][];
            for (int q = 0; q < perQuery.Length; q++)
            {
                perQuery[q] = new Hit[random.Next(0, 200)];
                for (int i = 0; i < perQuery[q].Length; i++)
                {
                    string id = ids[random.Next(ids.Length)] + random.Next();
                    perQuery[q][i] = new Hit(id, random.Next(4) == 0 ? double.NaN : random.NextDouble() * 20_000, random.NextInt64(), cell,
                        Fingerprint.Of(id),
                        random.Next(2) == 0 ? default : new Fingerprint((ulong)random.NextInt64(), (ulong)random.NextInt64()),
                        random.Next(3) == 0 ? "TITRE\u0000SOCIÉTÉ " + i : null);
                }
            }
            var sent = new CellHits(perQuery);
            CellHits received = Serializer.Deserialize<CellHits>(Serializer.SerializeToArray(sent))!;
            Assert.Equal(sent.PerQuery.Length, received.PerQuery.Length);
            for (int q = 0; q < perQuery.Length; q++)
            {
                Assert.Equal(sent.PerQuery[q], received.PerQuery[q]); // record equality: every field, NaN distances included
            }
        }
    }

    [Fact]
    public void An_answer_naming_two_cells_is_refused()
    {
        var hits = new CellHits([[new Hit("a", 1, 1, 1, Fingerprint.Of("a")), new Hit("b", 2, 1, 2, Fingerprint.Of("b"))]]);
        Assert.Throws<InvalidOperationException>(() => Serializer.SerializeToArray(hits));
    }
}
