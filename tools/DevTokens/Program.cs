using System.CommandLine;
using DevTokens;
using LogoutFunction.RefreshTokens;

// Wires the commands to their one-concern classes. Expected failures are DevToolException:
// one line on stderr, exit code 1, no stack trace and nothing secret.

var dirOption = new Option<string>("--dir") { Description = "Folder of the dev key pair", DefaultValueFactory = _ => DevKeyPair.DefaultDirectory };
var forceOption = new Option<bool>("--force") { Description = "Overwrite what already exists" };
var userOption = new Option<string>("--user") { Description = "User id the token belongs to", Required = true };
// No DefaultValueFactory: help prints default values, and the environment's connection
// string may hold an account key. The default is resolved when the command runs.
var connectionOption = new Option<string?>("--connection")
{
    Description = "Table storage connection string (default: env RefreshTokenStorage, else UseDevelopmentStorage=true)",
};
var tableOption = new Option<string>("--table") { Description = "Refresh-token table", DefaultValueFactory = _ => RefreshTokenStorageOptions.DefaultTableName };

var keygen = new Command("keygen", "Create the dev RSA 2048 key pair (private.pem, public.pem) once") { dirOption, forceOption };
keygen.SetAction(parse => Run(() =>
{
    var dir = parse.GetRequiredValue(dirOption);
    var created = DevKeyPair.Generate(dir, parse.GetValue(forceOption));
    Console.WriteLine(created
        ? $"Created {DevKeyPair.PrivateKeyPath(dir)} and {DevKeyPair.PublicKeyPath(dir)}."
        : $"Key pair already in {dir}; kept it (--force replaces it).");
}));

var ttlOption = new Option<int>("--ttl") { Description = "Lifetime in seconds", DefaultValueFactory = _ => 3600 };
var issuerOption = new Option<string?>("--issuer") { Description = "iss claim (set it when Jwt__Issuer is set)" };
var audienceOption = new Option<string?>("--audience") { Description = "aud claim (set it when Jwt__Audience is set)" };
var claimOption = new Option<string>("--claim") { Description = "Claim that carries the user id (Jwt__UserIdClaim)", DefaultValueFactory = _ => "sub" };
var noKidOption = new Option<bool>("--no-kid") { Description = "Leave out the kid header" };
var expiredAgoOption = new Option<int>("--expired-ago") { Description = "Seconds since the token expired (0: valid now)" };
var mint = new Command("mint", "Print an RS256 access token signed with the dev key")
{
    userOption, ttlOption, dirOption, issuerOption, audienceOption, claimOption, noKidOption, expiredAgoOption,
};
mint.SetAction(parse => Run(() =>
{
    var ttl = parse.GetValue(ttlOption);
    if (ttl <= 0)
    {
        throw new DevToolException("--ttl must be a positive number of seconds.");
    }

    var expiredAgo = parse.GetValue(expiredAgoOption);
    if (expiredAgo < 0)
    {
        throw new DevToolException("--expired-ago must be zero or a positive number of seconds.");
    }

    var signingKey = DevKeyPair.LoadSigningKey(parse.GetRequiredValue(dirOption));
    using var rsa = signingKey.Rsa;
    // An expired token is one issued a lifetime before its expiry.
    var issued = DateTime.UtcNow.AddSeconds(-(long)expiredAgo - (expiredAgo == 0 ? 0 : ttl));
    Console.WriteLine(AccessTokenMinter.Mint(signingKey, new AccessTokenClaims
    {
        UserId = RequireText(parse.GetRequiredValue(userOption), "--user"),
        UserIdClaim = RequireText(parse.GetRequiredValue(claimOption), "--claim"),
        IssuedAt = issued,
        Expires = issued.AddSeconds(ttl),
        Issuer = parse.GetValue(issuerOption),
        Audience = parse.GetValue(audienceOption),
        KeyId = parse.GetValue(noKidOption) ? "" : null,
    }));
}));

var ttlDaysOption = new Option<int>("--ttl-days") { Description = "Refresh-token lifetime in days (ExpiresAt)", DefaultValueFactory = _ => 30 };
var seed = new Command("seed", "Store a new refresh token for the user and print it")
{
    userOption, connectionOption, tableOption, ttlDaysOption,
};
seed.SetAction((parse, cancellationToken) => RunAsync(async () =>
{
    var days = parse.GetValue(ttlDaysOption);
    if (days <= 0)
    {
        throw new DevToolException("--ttl-days must be a positive number of days.");
    }

    var seeder = RefreshTokenSeeder.Create(parse.GetValue(connectionOption) ?? RefreshTokenSeeder.DefaultConnection(), parse.GetRequiredValue(tableOption));
    var user = RequireText(parse.GetRequiredValue(userOption), "--user");
    Console.WriteLine(await seeder.SeedAsync(user, TimeSpan.FromDays(days), DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false));
}));

var revocationTableOption = new Option<string>("--revocation-table") { Description = "Revocation-marker table (RevocationTable)", DefaultValueFactory = _ => RefreshTokenStorageOptions.DefaultRevocationTableName };
var createTable = new Command("create-table", "Create the refresh-token and revocation-marker tables if they are missing") { connectionOption, tableOption, revocationTableOption };
createTable.SetAction((parse, cancellationToken) => RunAsync(async () =>
{
    var connection = parse.GetValue(connectionOption) ?? RefreshTokenSeeder.DefaultConnection();
    foreach (var table in new[] { parse.GetRequiredValue(tableOption), parse.GetRequiredValue(revocationTableOption) })
    {
        var created = await RefreshTokenSeeder.Create(connection, table).CreateTableAsync(cancellationToken).ConfigureAwait(false);
        Console.WriteLine(created ? $"Created table {table}." : $"Table {table} already exists.");
    }
}));

// Exit code 0: the issuer would redeem it; 3: it would refuse it (1 stays "the tool failed").
var refreshTokenOption = new Option<string>("--refresh-token") { Description = "The refresh token to check", Required = true };
var redeem = new Command("redeem", "Say whether an issuer that honours revocation markers would redeem this refresh token now (reads only)")
{
    refreshTokenOption, userOption, connectionOption, tableOption, revocationTableOption,
};
redeem.SetAction((parse, cancellationToken) => RunWithExitCodeAsync(async () =>
{
    var connection = parse.GetValue(connectionOption) ?? RefreshTokenSeeder.DefaultConnection();
    var redeemer = new RefreshTokenRedeemer(
        RefreshTokenSeeder.Create(connection, parse.GetRequiredValue(tableOption)).Table,
        RefreshTokenSeeder.Create(connection, parse.GetRequiredValue(revocationTableOption)).Table);
    Redemption redemption;
    try
    {
        redemption = await redeemer.CheckAsync(
            RequireText(parse.GetRequiredValue(refreshTokenOption), "--refresh-token"), RequireText(parse.GetRequiredValue(userOption), "--user"), DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
    }
    catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException or HttpRequestException)
    {
        throw new DevToolException("Cannot read the tables; is Azurite running (npx azurite-table)?", ex);
    }

    Console.WriteLine(redemption);
    return redemption.Accepted ? 0 : 3;
}));

var outputOption = new Option<string>("--output") { Description = "Settings file to write", DefaultValueFactory = _ => "local.settings.json" };
var sampleOption = new Option<string?>("--sample") { Description = "Template (default: local.settings.sample.json next to --output)" };
var settings = new Command("settings", "Write local.settings.json from the sample with the dev public key")
{
    dirOption, outputOption, sampleOption, forceOption,
};
settings.SetAction(parse => Run(() =>
{
    var output = parse.GetRequiredValue(outputOption);
    var sample = parse.GetValue(sampleOption)
        ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output)) ?? ".", "local.settings.sample.json");
    var pem = DevKeyPair.ReadPublicPem(parse.GetRequiredValue(dirOption));
    switch (LocalSettingsWriter.Write(sample, output, pem, parse.GetValue(forceOption)))
    {
        case LocalSettingsOutcome.Written:
            Console.WriteLine($"Wrote {output} with the dev public key in {LocalSettingsWriter.PublicKeysSetting}.");
            break;
        case LocalSettingsOutcome.KeptMatching:
            Console.WriteLine($"{output} exists and already trusts the dev key; kept it.");
            break;
        case LocalSettingsOutcome.KeptWithDifferentKey:
            // A warning, not an error: the developer may be testing real keys on purpose.
            Console.Error.WriteLine($"warning: {output} exists and its {LocalSettingsWriter.PublicKeysSetting} does not contain the dev key, so minted tokens will get 401; kept it (--force rewrites it).");
            break;
    }
}));

var pemOption = new Option<string?>("--pem") { Description = "PEM public key file (default: the dev key's public.pem in --dir)" };
var jwks = new Command("jwks", "Print public keys as a JWKS document (API Management's validate-jwt takes RSA keys only that way)") { pemOption, dirOption };
jwks.SetAction(parse => Run(() =>
{
    var pem = parse.GetValue(pemOption) is { } path ? ReadFile(path) : DevKeyPair.ReadPublicPem(parse.GetRequiredValue(dirOption));
    Console.WriteLine(JwksDocument.FromPublicKeys(pem));
}));

var portOption = new Option<int>("--port") { Description = "Table service port on 127.0.0.1 (0: any free port)", DefaultValueFactory = _ => 10002 };
var locationOption = new Option<string?>("--location") { Description = "Folder for Azurite's data (default: in memory)" };
var azurite = new Command("azurite", "Run Azurite's Table service on 127.0.0.1 until Ctrl+C (run.sh starts it this way)") { portOption, locationOption };
azurite.SetAction((parse, cancellationToken) => RunAsync(async () =>
{
    var repository = DevRepository.Root();
    var location = parse.GetValue(locationOption) is { } folder ? Path.GetFullPath(folder) : null;
    await using var process = await DevStorage.AzuriteProcess.StartAsync(repository, parse.GetValue(portOption), location, Console.WriteLine, cancellationToken).ConfigureAwait(false);
    Console.WriteLine($"Azurite Table service on http://127.0.0.1:{process.Port}/devstoreaccount1 ({(location is null ? "in memory" : location)}); Ctrl+C stops it.");
    await process.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
    throw new DevToolException("Azurite exited on its own.");
}));

var root = new RootCommand("Development tools for LogoutFunction: dev key pair, access tokens, seeded refresh tokens, the issuer's revocation-marker check, local settings, Azurite.")
{
    keygen, mint, seed, createTable, redeem, settings, jwks, azurite,
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);

static string ReadFile(string path) =>
    File.Exists(path) ? File.ReadAllText(path) : throw new DevToolException($"{path} does not exist.");

static int Run(Action action) => RunAsync(() =>
{
    action();
    return Task.CompletedTask;
}).GetAwaiter().GetResult();

static Task<int> RunAsync(Func<Task> action) => RunWithExitCodeAsync(async () =>
{
    await action().ConfigureAwait(false);
    return 0;
});

static async Task<int> RunWithExitCodeAsync(Func<Task<int>> action)
{
    try
    {
        return await action().ConfigureAwait(false);
    }
    catch (DevToolException ex)
    {
        Console.Error.WriteLine($"error: {ex.Message}");
        return 1;
    }
    catch (OperationCanceledException)
    {
        // Ctrl+C or SIGTERM: a long-running command (azurite) ends here, having cleaned up.
        return 130;
    }
}

static string RequireText(string value, string option) =>
    string.IsNullOrWhiteSpace(value) ? throw new DevToolException($"{option} must not be empty.") : value;
