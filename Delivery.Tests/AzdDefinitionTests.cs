using YamlDotNet.RepresentationModel;

namespace Delivery.Tests;

/// <summary>azure.yaml makes `azd up` provision infra/ and deploy the function app; infra/README.md says how.</summary>
public sealed class AzdDefinitionTests
{
    [Fact]
    public void Azure_yaml_deploys_the_function_project_as_the_api_service_with_the_bicep_in_infra()
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(RepositoryPaths.Read("azure.yaml")))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var api = PipelineDefinition.Child(PipelineDefinition.Child(root, "services"), "api");
        Assert.NotNull(api);
        Assert.Equal("./LogoutFunction", PipelineDefinition.Scalar(api, "project"));
        Assert.Equal("dotnet", PipelineDefinition.Scalar(api, "language"));
        Assert.Equal("function", PipelineDefinition.Scalar(api, "host"));
        Assert.True(File.Exists(RepositoryPaths.Combine("LogoutFunction", "LogoutFunction.csproj")), "The api service's project folder must hold LogoutFunction.csproj.");

        var infra = PipelineDefinition.Child(root, "infra");
        Assert.Equal("bicep", PipelineDefinition.Scalar(infra, "provider"));
        var path = PipelineDefinition.Scalar(infra, "path") ?? "infra";
        var module = PipelineDefinition.Scalar(infra, "module") ?? "main";
        Assert.True(File.Exists(RepositoryPaths.Combine(path, module + ".bicep")), $"azd provisions {path}/{module}.bicep, which must exist.");
        Assert.True(File.Exists(RepositoryPaths.Combine(path, module + ".parameters.json")), $"azd reads {path}/{module}.parameters.json, which must exist.");

        // azd finds the app to deploy by this tag.
        Assert.Contains("'azd-service-name': 'api'", RepositoryPaths.Read("infra", "modules", "function-app.bicep"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_infra_README_documents_azd_up_the_pipeline_the_Key_Vault_option_and_the_idle_cost()
    {
        var readme = RepositoryPaths.Read("infra", "README.md");

        Assert.Contains("azd up", readme, StringComparison.Ordinal);
        Assert.Contains("azure-pipelines.yml", readme, StringComparison.Ordinal);
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", readme, StringComparison.Ordinal);
        Assert.Contains("idle", readme, StringComparison.OrdinalIgnoreCase);
    }
}
