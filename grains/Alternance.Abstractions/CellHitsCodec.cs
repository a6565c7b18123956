using System.Buffers;
using System.Text;
using Orleans.Serialization;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace Alternance;

/// <summary>
/// The wire form of a cell's answer, which is most of what crosses between silos and API nodes (a few hundred hits per
/// search). The generated codec wrote a tagged field per member of every hit and tracked each id string for reuse;
/// this one writes one length-prefixed block: the cell once, then per hit its id (UTF-8), distance, version and key as
/// fixed-width numbers, its group and listing key only when it has them. Decoding sets each hit's cell.
/// </summary>
/// <remarks>Co-hosted calls do not serialize: <see cref="CellHits"/> is immutable and passed by reference.</remarks>
[RegisterSerializer]
public sealed class CellHitsCodec : IFieldCodec<CellHits>
{
    private const byte HasGroup = 1, HasListingKey = 2;

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, CellHits? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }
        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(CellHits), WireType.LengthPrefixed);
        long cell = CellOf(value);
        writer.WriteVarUInt32((uint)Measure(value));
        writer.WriteInt64(cell);
        writer.WriteVarUInt32((uint)value.PerQuery.Length);
        foreach (Hit[] hits in value.PerQuery)
        {
            writer.WriteVarUInt32((uint)hits.Length);
            foreach (Hit hit in hits)
            {
                WriteText(ref writer, hit.Id);
                writer.WriteInt64(BitConverter.DoubleToInt64Bits(hit.DistanceKm));
                writer.WriteInt64(hit.Version);
                writer.WriteUInt64(hit.Key.High);
                writer.WriteUInt64(hit.Key.Low);
                byte flags = (byte)((hit.Group != default ? HasGroup : 0) | (hit.ListingKey is not null ? HasListingKey : 0));
                writer.WriteByte(flags);
                if ((flags & HasGroup) != 0)
                {
                    writer.WriteUInt64(hit.Group.High);
                    writer.WriteUInt64(hit.Group.Low);
                }
                if ((flags & HasListingKey) != 0) WriteText(ref writer, hit.ListingKey!);
            }
        }
    }

    public CellHits ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference)
        {
            return ReferenceCodec.ReadReference<CellHits, TInput>(ref reader, field)!;
        }
        field.EnsureWireType(WireType.LengthPrefixed);
        uint length = reader.ReadVarUInt32();
        reader.EnsureAvailable(length);
        long cell = reader.ReadInt64();
        var perQuery = new Hit[reader.ReadVarUInt32()][];
        for (int q = 0; q < perQuery.Length; q++)
        {
            var hits = new Hit[reader.ReadVarUInt32()];
            for (int i = 0; i < hits.Length; i++)
            {
                string id = ReadText(ref reader);
                double distance = BitConverter.Int64BitsToDouble(reader.ReadInt64());
                long version = reader.ReadInt64();
                var key = new Fingerprint(reader.ReadUInt64(), reader.ReadUInt64());
                byte flags = reader.ReadByte();
                Fingerprint group = (flags & HasGroup) != 0 ? new Fingerprint(reader.ReadUInt64(), reader.ReadUInt64()) : default;
                string? listingKey = (flags & HasListingKey) != 0 ? ReadText(ref reader) : null;
                hits[i] = new Hit(id, distance, version, cell, key, group, listingKey);
            }
            perQuery[q] = hits;
        }
        var result = new CellHits(perQuery);
        ReferenceCodec.RecordObject(reader.Session, result);
        return result;
    }

    /// <summary>The cell every hit names (a cell answers only its own items): written once.</summary>
    private static long CellOf(CellHits value)
    {
        long cell = 0;
        foreach (Hit[] hits in value.PerQuery)
        {
            foreach (Hit hit in hits)
            {
                if (cell == 0) cell = hit.Cell;
                else if (hit.Cell != cell) throw new InvalidOperationException($"A cell's answer names two cells ({cell:x}, {hit.Cell:x}).");
            }
        }
        return cell;
    }

    /// <summary>The bytes <see cref="WriteField"/> writes after the length.</summary>
    private static int Measure(CellHits value)
    {
        int bytes = 8 + VarLength((uint)value.PerQuery.Length);
        foreach (Hit[] hits in value.PerQuery)
        {
            bytes += VarLength((uint)hits.Length);
            foreach (Hit hit in hits)
            {
                bytes += TextLength(hit.Id) + 8 + 8 + 16 + 1;
                if (hit.Group != default) bytes += 16;
                if (hit.ListingKey is not null) bytes += TextLength(hit.ListingKey);
            }
        }
        return bytes;
    }

    private static int TextLength(string text)
    {
        int n = Encoding.UTF8.GetByteCount(text);
        return VarLength((uint)n) + n;
    }

    private static int VarLength(uint value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    private static void WriteText<TBufferWriter>(ref Writer<TBufferWriter> writer, string text) where TBufferWriter : IBufferWriter<byte>
    {
        int n = Encoding.UTF8.GetByteCount(text);
        writer.WriteVarUInt32((uint)n);
        writer.EnsureContiguous(n);
        Encoding.UTF8.GetBytes(text, writer.WritableSpan);
        writer.AdvanceSpan(n);
    }

    private static string ReadText<TInput>(ref Reader<TInput> reader)
    {
        int n = (int)reader.ReadVarUInt32();
        if (reader.TryReadBytes(n, out ReadOnlySpan<byte> bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }
        byte[] copy = ArrayPool<byte>.Shared.Rent(n);
        try
        {
            reader.ReadBytes(copy.AsSpan(0, n));
            return Encoding.UTF8.GetString(copy, 0, n);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}

/// <summary>A cell's answer is never changed once returned: co-hosted callers share it instead of copying it.</summary>
[RegisterCopier]
public sealed class CellHitsCopier : IDeepCopier<CellHits>
{
    public CellHits? DeepCopy(CellHits? input, CopyContext context) => input;
}
