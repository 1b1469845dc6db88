namespace LogoutFunction.Tests.Contract;

/// <summary>A generated body, how it is declared, and the one answer the contract gives for it.</summary>
public sealed record FuzzCase(int Number, string Class, byte[] Body, string? ContentType, ContractAnswer Expected)
{
    public override string ToString() => $"#{Number} {Class} ({Body.Length} bytes, Content-Type {ContentType ?? "none"})";
}

/// <summary>
/// Request bodies generated from a seed, each with its expected answer worked out from the
/// contract's rules by what the generator put in (not by parsing it again): random bytes,
/// invalid UTF-8, nesting around the 32-level limit, huge numbers, duplicate and escaped-equal
/// names, refresh_token of every JSON type and around 4,096 UTF-16 units, lone surrogates,
/// control characters, a BOM, sizes around 64 KiB, and Content-Type variants.
/// </summary>
public sealed class BodyFuzzer(int seed)
{
    public const int DefaultSeed = 20261126;
    private const int MaxBodyBytes = 64 * 1024;
    private const int MaxRefreshTokenLength = 4096;
    private const int MaxDepth = 32;

    private static readonly string[] JsonContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/json;charset=UTF-8",
        "Application/Json; foo=bar", "application/json ; charset=utf-8",
    ];

    private static readonly string?[] OtherContentTypes =
    [
        null, "text/plain", "text/json", "application/jsonx", "application/problem+json", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/octet-stream", "application/json, text/plain", "json", "",
    ];

    private static readonly int[] TokenLengths = [0, 1, 4095, 4096, 4097, 4098, 8000];

    private static readonly byte[][] InvalidUtf8 = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80]];

    private readonly Random _random = new(seed);

    public static int SeedFromEnvironment =>
        int.TryParse(Environment.GetEnvironmentVariable("LOGOUT_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;

    public IEnumerable<FuzzCase> Generate(int count)
    {
        var generators = new Func<(string, byte[], string?, ContractAnswer)>[]
        {
            RandomBytes, RandomBytesNotDeclaredJson, InvalidUtf8InAString, Nesting, HugeNumbers, DuplicateNames,
            EscapedName, RefreshTokenOfAnyType, RefreshTokenLengths, LoneSurrogates, ControlCharacters, ByteOrderMark,
            SizesAround64KiB, ContentTypes, SyntaxErrors, RandomObjects,
        };
        for (var number = 0; number < count; number++)
        {
            var (name, body, contentType, expected) = generators[number % generators.Length]();
            yield return new FuzzCase(number, name, body, contentType, expected);
        }
    }

    private (string, byte[], string?, ContractAnswer) RandomBytes()
    {
        var body = new byte[_random.Next(1, 300)];
        _random.NextBytes(body);
        // Anything but an object's start (or the whitespace before it), so it can never be one.
        while (body[0] is (byte)'{' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            body[0] = (byte)_random.Next(256);
        }

        return ("random bytes", body, Json(), ContractAnswer.NotJsonObject);
    }

    private (string, byte[], string?, ContractAnswer) RandomBytesNotDeclaredJson()
    {
        var body = new byte[_random.Next(1, 300)];
        _random.NextBytes(body);
        return ("random bytes, not declared JSON", body, Pick(OtherContentTypes), ContractAnswer.UnsupportedMediaType);
    }

    private (string, byte[], string?, ContractAnswer) InvalidUtf8InAString()
    {
        byte[] body = [.. Utf8("{\"refresh_token\":\"" + Token(10)), .. Pick(InvalidUtf8), .. Utf8(Token(5) + "\"}")];
        return ("invalid UTF-8", body, Json(), ContractAnswer.NotJsonObject);
    }

    /// <summary>The outer object counts as one level; 32 levels in all are allowed.</summary>
    private (string, byte[], string?, ContractAnswer) Nesting()
    {
        var depth = _random.Next(2, 50);
        var open = new StringBuilder();
        var close = new StringBuilder();
        for (var level = 2; level <= depth; level++)
        {
            var isObject = _random.Next(2) == 0;
            open.Append(isObject ? "{\"k\":" : "[");
            close.Insert(0, isObject ? "}" : "]");
        }

        var body = $"{{\"refresh_token\":\"{Token(12)}\",\"x\":{open}1{close}}}";
        return depth <= MaxDepth
            ? ("nesting up to 32 levels", Utf8(body), Json(), ContractAnswer.LoggedOut)
            : ("nesting over 32 levels", Utf8(body), Json(), ContractAnswer.NotJsonObject);
    }

    private (string, byte[], string?, ContractAnswer) HugeNumbers()
    {
        var number = _random.Next(3) switch
        {
            0 => "1e" + _random.Next(300, 100_000).ToString(CultureInfo.InvariantCulture),
            1 => "-" + Digits(_random.Next(20, 2_000)),
            _ => Digits(_random.Next(20, 2_000)) + "." + Digits(_random.Next(1, 500)),
        };
        return _random.Next(2) == 0
            ? ("a huge number beside the token", Utf8($"{{\"x\":{number},\"refresh_token\":\"{Token(12)}\"}}"), Json(), ContractAnswer.LoggedOut)
            : ("a huge number as the token", Utf8($"{{\"refresh_token\":{number}}}"), Json(), ContractAnswer.BadRefreshToken);
    }

    private (string, byte[], string?, ContractAnswer) DuplicateNames()
    {
        var token = Token(12);
        var body = _random.Next(4) switch
        {
            0 => $"{{\"refresh_token\":\"{token}\",\"refresh_token\":\"{token}\"}}",
            1 => $"{{\"refresh_token\":\"{token}\",\"refresh_token\":\"{Token(12)}\"}}",
            2 => $"{{\"refresh_token\":\"{token}\",\"refresh\\u005ftoken\":\"{Token(12)}\"}}",
            _ => $"{{\"a\":1,\"refresh_token\":\"{token}\",\"\\u0061\":2}}",
        };
        return ("duplicate names", Utf8(body), Json(), ContractAnswer.NotJsonObject);
    }

    private (string, byte[], string?, ContractAnswer) EscapedName() =>
        ("an escaped name equal to refresh_token", Utf8($"{{\"\\u0072efresh_token\":\"{Token(12)}\"}}"), Json(), ContractAnswer.LoggedOut);

    private (string, byte[], string?, ContractAnswer) RefreshTokenOfAnyType() => _random.Next(8) switch
    {
        0 => ("refresh_token a string", Utf8($"{{\"refresh_token\":\"{Token(20)}\"}}"), Json(), ContractAnswer.LoggedOut),
        1 => ("refresh_token null", Utf8("{\"refresh_token\":null}"), Json(), ContractAnswer.LoggedOut),
        2 => ("refresh_token a number", Utf8($"{{\"refresh_token\":{_random.Next()}}}"), Json(), ContractAnswer.BadRefreshToken),
        3 => ("refresh_token true", Utf8("{\"refresh_token\":true}"), Json(), ContractAnswer.BadRefreshToken),
        4 => ("refresh_token false", Utf8("{\"refresh_token\":false}"), Json(), ContractAnswer.BadRefreshToken),
        5 => ("refresh_token an object", Utf8($"{{\"refresh_token\":{{\"value\":\"{Token(8)}\"}}}}"), Json(), ContractAnswer.BadRefreshToken),
        6 => ("refresh_token an array", Utf8($"{{\"refresh_token\":[\"{Token(8)}\"]}}"), Json(), ContractAnswer.BadRefreshToken),
        _ => ("no refresh_token", Utf8($"{{\"client\":\"{Token(5)}\"}}"), Json(), ContractAnswer.LoggedOut),
    };

    /// <summary>Lengths in UTF-16 code units around the limit, with surrogate pairs (two units each) mixed in.</summary>
    private (string, byte[], string?, ContractAnswer) RefreshTokenLengths()
    {
        var length = Pick(TokenLengths);
        var value = new StringBuilder();
        while (value.Length < length)
        {
            value.Append(length - value.Length >= 2 && _random.Next(3) == 0 ? "\U0001F600" : Token(1));
        }

        var body = Utf8($"{{\"refresh_token\":\"{value}\"}}");
        return value.Length <= MaxRefreshTokenLength
            ? ("refresh_token of at most 4096 UTF-16 units", body, Json(), ContractAnswer.LoggedOut)
            : ("refresh_token over 4096 UTF-16 units", body, Json(), ContractAnswer.BadRefreshToken);
    }

    private (string, byte[], string?, ContractAnswer) LoneSurrogates()
    {
        var surrogate = "\\u" + _random.Next(0xD800, 0xE000).ToString("x4", CultureInfo.InvariantCulture);
        return _random.Next(3) switch
        {
            0 => ("a lone surrogate in refresh_token", Utf8($"{{\"refresh_token\":\"{Token(4)}{surrogate}\"}}"), Json(), ContractAnswer.BadRefreshToken),
            1 => ("a lone surrogate in a name", Utf8($"{{\"a{surrogate}\":1,\"refresh_token\":\"{Token(8)}\"}}"), Json(), ContractAnswer.NotJsonObject),
            _ => ("a lone surrogate in another value", Utf8($"{{\"x\":\"{surrogate}\",\"refresh_token\":\"{Token(8)}\"}}"), Json(), ContractAnswer.LoggedOut),
        };
    }

    private (string, byte[], string?, ContractAnswer) ControlCharacters()
    {
        var control = (char)_random.Next(0, 0x20);
        return _random.Next(2) == 0
            ? ("a raw control character in a string", Utf8($"{{\"refresh_token\":\"{Token(4)}{control}{Token(4)}\"}}"), Json(), ContractAnswer.NotJsonObject)
            : ("an escaped control character", Utf8($"{{\"refresh_token\":\"{Token(4)}\\u{(int)control:x4}\"}}"), Json(), ContractAnswer.LoggedOut);
    }

    private (string, byte[], string?, ContractAnswer) ByteOrderMark() =>
        ("a byte order mark", [0xEF, 0xBB, 0xBF, .. Utf8($"{{\"refresh_token\":\"{Token(8)}\"}}")], Json(), ContractAnswer.NotJsonObject);

    private (string, byte[], string?, ContractAnswer) SizesAround64KiB()
    {
        var size = Pick(new[] { MaxBodyBytes - 1, MaxBodyBytes, MaxBodyBytes + 1, MaxBodyBytes + _random.Next(2, 4000) });
        const string Prefix = "{\"refresh_token\":\"r\",\"pad\":\"";
        var body = Utf8(Prefix + new string('x', size - Prefix.Length - 2) + "\"}");
        return size <= MaxBodyBytes
            ? ("a body of at most 64 KiB", body, Json(), ContractAnswer.LoggedOut)
            : ("a body over 64 KiB", body, Json(), ContractAnswer.BodyTooLarge);
    }

    private (string, byte[], string?, ContractAnswer) ContentTypes()
    {
        var body = Utf8($"{{\"refresh_token\":\"{Token(12)}\"}}");
        return _random.Next(2) == 0
            ? ("declared JSON", body, Pick(JsonContentTypes), ContractAnswer.LoggedOut)
            : ("declared as something else", body, Pick(OtherContentTypes), ContractAnswer.UnsupportedMediaType);
    }

    private (string, byte[], string?, ContractAnswer) SyntaxErrors()
    {
        var token = Token(8);
        var (name, body, expected) = _random.Next(9) switch
        {
            0 => ("whitespace only", new string(' ', _random.Next(1, 20)), ContractAnswer.NotJsonObject),
            1 => ("a comment", $"{{/*c*/\"refresh_token\":\"{token}\"}}", ContractAnswer.NotJsonObject),
            2 => ("a trailing comma", $"{{\"refresh_token\":\"{token}\",}}", ContractAnswer.NotJsonObject),
            3 => ("single quotes", $"{{'refresh_token':'{token}'}}", ContractAnswer.NotJsonObject),
            4 => ("two objects", $"{{\"refresh_token\":\"{token}\"}}{{}}", ContractAnswer.NotJsonObject),
            5 => ("NaN", "{\"refresh_token\":NaN}", ContractAnswer.NotJsonObject),
            6 => ("a JSON array", $"[\"{token}\"]", ContractAnswer.NotJsonObject),
            7 => ("an unquoted name", $"{{refresh_token:\"{token}\"}}", ContractAnswer.NotJsonObject),
            _ => ("whitespace around an object", $" \t\r\n{{\"refresh_token\":\"{token}\"}}\n ", ContractAnswer.LoggedOut),
        };
        return (name, Utf8(body), Json(), expected);
    }

    private (string, byte[], string?, ContractAnswer) RandomObjects()
    {
        var members = new List<string>();
        for (var i = _random.Next(0, 12); i > 0; i--)
        {
            members.Add($"\"m{members.Count}_{Token(4)}\":{RandomValue(3)}");
        }

        if (_random.Next(2) == 0)
        {
            members.Insert(_random.Next(members.Count + 1), $"\"refresh_token\":\"{Token(16)}\"");
        }

        return ("a random object", Utf8("{" + string.Join(',', members) + "}"), Json(), ContractAnswer.LoggedOut);
    }

    private string RandomValue(int depth) => _random.Next(depth <= 0 ? 5 : 7) switch
    {
        0 => "null",
        1 => "true",
        2 => _random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        3 => (_random.NextDouble() * 1e6).ToString("R", CultureInfo.InvariantCulture),
        4 => $"\"{Token(_random.Next(0, 30))}\"",
        5 => "[" + string.Join(',', Enumerable.Range(0, _random.Next(0, 4)).Select(_ => RandomValue(depth - 1))) + "]",
        _ => "{" + string.Join(',', Enumerable.Range(0, _random.Next(0, 4)).Select(i => $"\"k{i}\":{RandomValue(depth - 1)}")) + "}",
    };

    private string Json() => Pick(JsonContentTypes);

    private T Pick<T>(IReadOnlyList<T> values) => values[_random.Next(values.Count)];

    /// <summary>Printable text that needs no escaping in JSON.</summary>
    private string Token(int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/";
        return string.Create(length, _random, (chars, random) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[random.Next(Alphabet.Length)];
            }
        });
    }

    private string Digits(int count) => "9" + string.Concat(Enumerable.Range(0, count - 1).Select(_ => (char)('0' + _random.Next(10))));

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
