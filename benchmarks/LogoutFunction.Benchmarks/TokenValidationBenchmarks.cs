using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using DevTokens;
using LogoutFunction.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Benchmarks;

/// <summary>
/// What checking one access token costs, beside its floor: the RS256 signature check alone,
/// which no validator can avoid. A token expired within the grace is checked once too, so it
/// costs what a valid one does, not two signature checks.
/// </summary>
[MemoryDiagnoser]
public class TokenValidationBenchmarks : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);
    private ServiceProvider _services = null!;
    private BearerTokenValidator _validator = null!;
    private string _token = null!;
    private string _expiredToken = null!;
    private byte[] _signingInput = null!;
    private byte[] _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Jwt:PublicKeys"] = _rsa.ExportSubjectPublicKeyInfoPem() })
            .Build();
        _services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddBearerTokenValidation().BuildServiceProvider();
        _validator = _services.GetRequiredService<BearerTokenValidator>();

        var now = DateTime.UtcNow;
        _token = Token(issued: now, expires: now.AddDays(1));
        _expiredToken = Token(issued: now.AddHours(-3), expires: now.AddHours(-2));
        var lastDot = _token.LastIndexOf('.');
        _signingInput = Encoding.ASCII.GetBytes(_token[..lastDot]);
        _signature = Base64UrlEncoder.DecodeBytes(_token[(lastDot + 1)..]);
    }

    [Benchmark(Baseline = true, Description = "floor: RS256 signature check alone")]
    public bool SignatureOnly() => _rsa.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "BearerTokenValidator.ValidateAsync")]
    public async Task<string?> Validate() => (await _validator.ValidateAsync(_token)).UserId;

    [Benchmark(Description = "ValidateAsync, a token expired 2 hours ago")]
    public async Task<string?> ValidateExpired() => (await _validator.ValidateAsync(_expiredToken)).Reason;

    private string Token(DateTime issued, DateTime expires) =>
        AccessTokenMinter.Mint(new RsaSecurityKey(_rsa), new AccessTokenClaims { UserId = "alice", IssuedAt = issued, Expires = expires, KeyId = "" });

    public void Dispose()
    {
        _services?.Dispose();
        _rsa.Dispose();
        GC.SuppressFinalize(this);
    }
}
