using System.Security.Cryptography;
using System.Text;

namespace Alternance.Api.Json;

/// <summary>
/// Hides the e-mail of a company or recruiter in search results (docs/contract.md#callers): the address is returned
/// encrypted, with the IV needed to decrypt it, both as lower-case hex.
/// </summary>
public interface IContactProtector
{
    /// <param name="context">What the address belongs to (an item's source, id and version; a recruiter's id): the IV is
    /// derived from it and the address, so that every front holding the key writes the same bytes for the same item and
    /// an answer's ETag can be strong. A (key, IV) pair is never used for two different addresses.</param>
    (string Email, string Iv) Protect(string email, string context);
}

/// <summary>Configuration section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>The AES-256 key as 64 hex characters. A fixed development key is used (with a warning) when missing.</summary>
    public string? EmailKey { get; set; }

    /// <summary>Callers that get company phone numbers (compared case-insensitively, trimmed).</summary>
    public string[] PhoneCallers { get; set; } = [];
}

/// <summary>
/// AES-256-CTR, as Node's <c>createCipheriv("aes-256-ctr", key, iv)</c>: a 16-byte IV is the initial counter block (a
/// 128-bit big-endian integer incremented per block); the key stream is AES-ECB of the counter blocks. The IV is
/// HMAC-SHA256(K', context ∥ 0 ∥ address) cut to 16 bytes, with K' derived from the key: unpredictable without the key,
/// the same on every front, different for every address and context (so no two addresses share a key stream).
/// </summary>
public sealed class AesCtrContactProtector : IContactProtector, IDisposable
{
    /// <summary>Development key, used when <c>Privacy:EmailKey</c> is missing: never for production.</summary>
    public const string DevelopmentKeyHex = "6c62612d6465762d6b65792d646f2d6e6f742d7573652d696e2d70726f642121";

    private readonly byte[] _key;
    private readonly byte[] _ivKey;
    private readonly ThreadLocal<ICryptoTransform> _aes;
    /// <summary>One HMAC per thread, reset after each IV: the one-shot <c>HMACSHA256.HashData</c> sets up a native HMAC
    /// context per call, which was ~10 % of a search's CPU when most of its companies were rendered afresh.</summary>
    private readonly ThreadLocal<IncrementalHash> _ivMac;
    private int _disposed;

    public AesCtrContactProtector(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("The e-mail key must be 32 bytes (AES-256).", nameof(key));
        _key = key;
        _ivKey = HMACSHA256.HashData(key, "alternance/contact-iv"u8);
        // One ECB encryptor per thread, kept: creating a cipher context per call (Aes.EncryptEcb) costs more than the
        // encryption of an e-mail itself. ECB without padding is stateless from block to block, so it is reusable.
        _aes = new ThreadLocal<ICryptoTransform>(() =>
        {
            using var aes = Aes.Create();
            aes.Key = _key;
            aes.Mode = CipherMode.ECB;
            aes.Padding = PaddingMode.None;
            return aes.CreateEncryptor();
        }, trackAllValues: true);
        _ivMac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _ivKey), trackAllValues: true);
    }

    /// <summary>Reads <c>Privacy:EmailKey</c> (64 hex chars); falls back to the development key with a warning.</summary>
    public static AesCtrContactProtector FromConfiguration(PrivacyOptions options, ILogger logger)
    {
        string? hex = options.EmailKey?.Trim();
        if (string.IsNullOrEmpty(hex))
        {
            logger.LogWarning("Privacy:EmailKey is not set: e-mails are encrypted with the public development key. Set a 64-hex-character key in production.");
            hex = DevelopmentKeyHex;
        }
        byte[] key;
        try
        {
            key = Convert.FromHexString(hex);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException("Privacy:EmailKey must be 64 hexadecimal characters (a 32-byte AES-256 key).", e);
        }
        if (key.Length != 32)
        {
            throw new InvalidOperationException("Privacy:EmailKey must be 64 hexadecimal characters (a 32-byte AES-256 key).");
        }
        return new AesCtrContactProtector(key);
    }

    public (string Email, string Iv) Protect(string email, string context)
    {
        int length = Encoding.UTF8.GetByteCount(email);
        int contextLength = Encoding.UTF8.GetByteCount(context);
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length + contextLength + 1);
        Span<byte> data = rented.AsSpan(contextLength + 1, length);
        Encoding.UTF8.GetBytes(context, rented);
        rented[contextLength] = 0;
        Encoding.UTF8.GetBytes(email, data);
        Span<byte> mac = stackalloc byte[32];
        IncrementalHash ivMac = _ivMac.Value!;
        ivMac.AppendData(rented.AsSpan(0, contextLength + 1 + length));
        ivMac.GetHashAndReset(mac);
        Span<byte> iv = mac[..16];
        Transform(iv, data);
        string cipher = Convert.ToHexStringLower(data);
        System.Buffers.ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        return (cipher, Convert.ToHexStringLower(iv));
    }

    /// <summary>Decrypts what <see cref="Protect"/> produced (CTR is symmetric); for tests and the application route.</summary>
    public string Unprotect(string cipherHex, string ivHex)
    {
        byte[] data = Convert.FromHexString(cipherHex);
        byte[] iv = Convert.FromHexString(ivHex);
        if (iv.Length != 16) throw new ArgumentException("The IV must be 16 bytes.", nameof(ivHex));
        Transform(iv, data);
        return Encoding.UTF8.GetString(data);
    }

    /// <summary>XORs <paramref name="data"/> with the CTR key stream starting at counter <paramref name="iv"/>.</summary>
    public void Transform(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        int blocks = (data.Length + 15) / 16;
        int size = blocks * 16;
        byte[] counters = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
        byte[] stream = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
        try
        {
            Span<byte> counter = stackalloc byte[16];
            iv.CopyTo(counter);
            for (int b = 0; b < blocks; b++)
            {
                counter.CopyTo(counters.AsSpan(b * 16, 16));
                for (int i = 15; i >= 0; i--)
                {
                    if (++counter[i] != 0) break;
                }
            }
            _aes.Value!.TransformBlock(counters, 0, size, stream, 0);
            for (int i = 0; i < data.Length; i++) data[i] ^= stream[i];
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(counters);
            System.Buffers.ArrayPool<byte>.Shared.Return(stream);
        }
    }

    /// <summary>
    /// Idempotent: the container disposes the instance once per registration that resolved it (the class and
    /// <see cref="IContactProtector"/>); a second call read the disposed ThreadLocal and crashed every shutdown (exit 134).
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (ICryptoTransform transform in _aes.Values) transform.Dispose();
        _aes.Dispose();
        foreach (IncrementalHash mac in _ivMac.Values) mac.Dispose();
        _ivMac.Dispose();
    }
}

/// <summary>Who gets company phone numbers: the callers on <c>Privacy:PhoneCallers</c>.</summary>
public sealed class PhonePolicy
{
    private readonly HashSet<string> _callers;

    public PhonePolicy(PrivacyOptions options)
    {
        _callers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string caller in options.PhoneCallers)
        {
            if (!string.IsNullOrWhiteSpace(caller)) _callers.Add(caller.Trim());
        }
    }

    public bool MayShowPhone(string? caller) => caller is not null && _callers.Contains(caller.Trim());
}

public static class PrivacyConfiguration
{
    /// <summary>Registers <see cref="IContactProtector"/> (unless already registered) and <see cref="PhonePolicy"/>.</summary>
    public static IServiceCollection AddContactPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PrivacyOptions>(configuration.GetSection(PrivacyOptions.Section));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PrivacyOptions>>().Value;
            return AesCtrContactProtector.FromConfiguration(options, sp.GetRequiredService<ILoggerFactory>().CreateLogger<AesCtrContactProtector>());
        });
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton<IContactProtector>(
            services, sp => sp.GetRequiredService<AesCtrContactProtector>());
        services.AddSingleton(sp => new PhonePolicy(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PrivacyOptions>>().Value));
        return services;
    }
}
