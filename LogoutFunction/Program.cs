using LogoutFunction.Auth;
using LogoutFunction.Logout;
using LogoutFunction.RefreshTokens;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();

builder.Services
    .AddBearerTokenValidation()
    .AddRefreshTokenStore(builder.Configuration)
    .AddLogout();

builder.Build().Run();
