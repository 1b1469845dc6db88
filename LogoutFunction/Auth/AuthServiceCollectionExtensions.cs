using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LogoutFunction.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>Bearer-token validation from the <c>Jwt__*</c> settings, checked before the worker starts.</summary>
    public static IServiceCollection AddBearerTokenValidation(this IServiceCollection services)
    {
        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SigningKeys>();
        services.AddHostedService(provider => provider.GetRequiredService<SigningKeys>());
        services.AddSingleton<BearerTokenValidator>();
        return services;
    }
}
