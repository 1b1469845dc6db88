using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace DevTokens;

/// <summary>
/// The development RSA key pair in a git-ignored folder: <c>private.pem</c> (PKCS#8) signs the
/// dev access tokens, <c>public.pem</c> (SubjectPublicKeyInfo) goes into <c>Jwt__PublicKeys</c>.
/// </summary>
public static class DevKeyPair
{
    public const string DefaultDirectory = ".devkeys";
    public const string PrivateKeyFileName = "private.pem";
    public const string PublicKeyFileName = "public.pem";

    // 2048 bits: the smallest size IdentityModel accepts for RS256 signing, and fast to generate.
    private const int KeySizeInBits = 2048;

    public static string PrivateKeyPath(string directory) => Path.Combine(directory, PrivateKeyFileName);

    public static string PublicKeyPath(string directory) => Path.Combine(directory, PublicKeyFileName);

    /// <summary>Creates the pair unless both files exist; returns false when it kept existing ones.</summary>
    public static bool Generate(string directory, bool force)
    {
        var privatePath = PrivateKeyPath(directory);
        var publicPath = PublicKeyPath(directory);
        if (!force && File.Exists(privatePath) && File.Exists(publicPath))
        {
            return false;
        }

        Directory.CreateDirectory(directory);
        using var rsa = RSA.Create(KeySizeInBits);
        WritePrivate(privatePath, rsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(publicPath, rsa.ExportSubjectPublicKeyInfoPem() + "\n");
        return true;
    }

    /// <summary>The public key PEM, as the app reads it from <c>Jwt__PublicKeys</c>.</summary>
    public static string ReadPublicPem(string directory)
    {
        var path = PublicKeyPath(directory);
        if (!File.Exists(path))
        {
            throw new DevToolException($"No public key at {path}; run `keygen` first.");
        }

        var pem = File.ReadAllText(path).Trim();
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException ex)
        {
            throw new DevToolException($"{path} is not a PEM public key; delete it and run `keygen` again.", ex);
        }

        return pem;
    }

    /// <summary>The signing key (its id is its thumbprint, as the app names a PEM key).</summary>
    public static RsaSecurityKey LoadSigningKey(string directory)
    {
        var path = PrivateKeyPath(directory);
        if (!File.Exists(path))
        {
            throw new DevToolException($"No private key at {path}; run `keygen` first.");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            // ImportFromPem accepts a public key too; signing needs the private exponent.
            _ = rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new DevToolException($"{path} is not a PEM RSA private key; delete the folder and run `keygen` again.", ex);
        }

        return new RsaSecurityKey(rsa);
    }

    private static void WritePrivate(string path, string pem)
    {
        // Owner-only on Unix: it is a dev key, but still a private key on a shared machine.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
        writer.Write('\n');
    }
}
