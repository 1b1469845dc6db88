using LogoutFunction.Auth;
using LogoutFunction.Logout;
using LogoutFunction.RefreshTokens;
using LogoutFunction.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

builder.Services
    .AddLogoutTelemetry(builder.Configuration)
    .AddBearerTokenValidation()
    .AddRefreshTokenStore(builder.Configuration)
    .AddLogout();

builder.Build().Run();
