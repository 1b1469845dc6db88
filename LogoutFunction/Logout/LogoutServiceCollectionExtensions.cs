using Microsoft.Extensions.DependencyInjection;

namespace LogoutFunction.Logout;

public static class LogoutServiceCollectionExtensions
{
    public static IServiceCollection AddLogout(this IServiceCollection services) =>
        services.AddSingleton<LogoutHandler>();
}
