using YamlDotNet.RepresentationModel;

namespace LogoutFunction.Tests.Contract;

/// <summary>
/// docs/openapi.yaml against the contract table of docs/contract.md (every status, its exact body and its extra
/// headers) and against the contract the tests hold the endpoint to (<see cref="ContractAnswer"/>).
/// </summary>
public sealed class OpenApiTests
{
    private static readonly YamlMappingNode Document = Load();

    private static YamlMappingNode Operation => Map(Map(Map(Document, "paths"), "/api/logout"), "post");

    private static YamlMappingNode Responses => Map(Operation, "responses");

    [Fact]
    public void Is_OpenAPI_3_1_with_the_bearer_scheme_and_an_optional_JSON_body()
    {
        Assert.Equal("3.1.0", Scalar(Document, "openapi"));
        var scheme = Map(Map(Map(Document, "components"), "securitySchemes"), "bearer");
        Assert.Equal(("http", "bearer", "JWT"), (Scalar(scheme, "type"), Scalar(scheme, "scheme"), Scalar(scheme, "bearerFormat")));
        Assert.Equal("false", Scalar(Map(Operation, "requestBody"), "required"));
        Assert.NotNull(Map(Map(Map(Operation, "requestBody"), "content"), "application/json"));

        // The one query parameter: scope, local or global (contract.md, "Log out everywhere").
        var scope = Assert.IsType<YamlMappingNode>(Assert.Single(Assert.IsType<YamlSequenceNode>(Operation.Children[new YamlScalarNode("parameters")]).Children));
        Assert.Equal(("scope", "query", "local"), (Scalar(scope, "name"), Scalar(scope, "in"), Scalar(Map(scope, "schema"), "default")));
        Assert.Equal(
            ["local", "global"],
            Assert.IsType<YamlSequenceNode>(Map(scope, "schema").Children[new YamlScalarNode("enum")]).Children.Select(value => ((YamlScalarNode)value).Value));
    }

    [Fact]
    public void Describes_every_status_of_the_contract_table_and_no_other()
    {
        var readme = ReadmeContract.Rows.Select(row => row.Status).Distinct().Order();
        var described = Responses.Children.Keys.Select(key => int.Parse(((YamlScalarNode)key).Value!, System.Globalization.CultureInfo.InvariantCulture)).Order();

        Assert.Equal(readme, described);
    }

    [Fact]
    public void Gives_every_body_of_the_contract_table_as_an_example_of_its_status()
    {
        foreach (var row in ReadmeContract.Rows)
        {
            var examples = ExamplesOf(row.Status);
            Assert.True(examples.Any(example => SameJson(example, row.Body)), $"openapi.yaml has no example {row.Body} for {row.Status}.");
        }
    }

    [Fact]
    public void Declares_the_extra_headers_of_the_contract_table_and_cache_control_everywhere()
    {
        foreach (var row in ReadmeContract.Rows)
        {
            var headers = Map(Map(Responses, row.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)), "headers");
            Assert.NotNull(Map(headers, "Cache-Control"));
            foreach (var header in row.ExtraHeaders)
            {
                Assert.True(headers.Children.ContainsKey(new YamlScalarNode(header)), $"openapi.yaml does not declare {header} for {row.Status}.");
            }
        }
    }

    [Fact]
    public void Matches_the_answers_the_endpoint_is_tested_against()
    {
        ContractAnswer[] answers =
        [
            ContractAnswer.LoggedOut, ContractAnswer.NoToken, ContractAnswer.ScopeInvalid, ContractAnswer.GlobalNotEnabled, ContractAnswer.LengthRequired, ContractAnswer.UnsupportedMediaType,
            ContractAnswer.BodyTooLarge, ContractAnswer.NotJsonObject, ContractAnswer.BadRefreshToken, ContractAnswer.Unavailable,
            ContractAnswer.InternalError,
        ];
        foreach (var answer in answers)
        {
            Assert.Contains(ExamplesOf((int)answer.Status), example => SameJson(example, answer.Body));
        }
    }

    private static List<YamlMappingNode> ExamplesOf(int status)
    {
        var json = Map(Map(Map(Responses, status.ToString(System.Globalization.CultureInfo.InvariantCulture)), "content"), "application/json");
        var examples = new List<YamlMappingNode>();
        if (json.Children.TryGetValue(new YamlScalarNode("example"), out var single))
        {
            examples.Add((YamlMappingNode)single);
        }

        if (json.Children.TryGetValue(new YamlScalarNode("examples"), out var named))
        {
            examples.AddRange(((YamlMappingNode)named).Children.Values.Select(example => Map((YamlMappingNode)example, "value")));
        }

        return examples;
    }

    /// <summary>Same members with the same values; YAML scalars are compared as the JSON values' text.</summary>
    private static bool SameJson(YamlMappingNode yaml, string json)
    {
        using var expected = JsonDocument.Parse(json);
        var members = expected.RootElement.EnumerateObject().ToList();
        return members.Count == yaml.Children.Count
            && members.All(member => Scalar(yaml, member.Name) == (member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : member.Value.GetRawText()));
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(RepositoryPaths.Read("docs", "openapi.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map
            ? map
            : throw new Xunit.Sdk.XunitException($"openapi.yaml: no mapping '{key}'.");

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;

    /// <summary>The contract table of docs/contract.md: each row's status, body (resolving "same") and extra header names.</summary>
    private static class ReadmeContract
    {
        public static readonly IReadOnlyList<(int Status, string Body, IReadOnlyList<string> ExtraHeaders)> Rows = Parse();

        private static List<(int, string, IReadOnlyList<string>)> Parse()
        {
            var lines = RepositoryPaths.Read("docs", "contract.md").Split('\n');
            var header = Array.FindIndex(lines, line => line.StartsWith("| # | when | status | body | extra headers |", StringComparison.Ordinal));
            Assert.True(header >= 0, "docs/contract.md has no contract table.");
            var rows = new List<(int, string, IReadOnlyList<string>)>();
            string? previousBody = null;
            foreach (var line in lines.Skip(header + 2).TakeWhile(line => line.StartsWith('|')))
            {
                var cells = line.Trim().Trim('|').Split(" | ");
                var (status, body, extra) = (int.Parse(cells[^3].Trim(), System.Globalization.CultureInfo.InvariantCulture), cells[^2].Trim(), cells[^1].Trim());
                body = body == "same" ? previousBody! : body.Trim('`');
                previousBody = body;
                var headers = extra.Split(':').Length > 1 ? [extra.Trim('`').Split(':')[0]] : extra.StartsWith("`...", StringComparison.Ordinal) ? ["WWW-Authenticate"] : Array.Empty<string>();
                rows.Add((status, body, headers));
            }

            Assert.True(rows.Count >= 10, "docs/contract.md's contract table looks truncated.");
            return rows;
        }
    }
}
