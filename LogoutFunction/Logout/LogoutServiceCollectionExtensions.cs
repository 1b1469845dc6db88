using Microsoft.Extensions.DependencyInjection;

namespace LogoutFunction.Logout;

public static class LogoutServiceCollectionExtensions
{
    /// <summary>The logout itself, and its <c>Logout__*</c> settings, checked before the worker starts.</summary>
    public static IServiceCollection AddLogout(this IServiceCollection services)
    {
        services.AddOptions<LogoutOptions>().BindConfiguration(LogoutOptions.SectionName).ValidateOnStart();
        return services.AddSingleton<LogoutHandler>();
    }
}
