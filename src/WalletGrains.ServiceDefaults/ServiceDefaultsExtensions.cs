using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace WalletGrains.ServiceDefaults;

/// <summary>Cross-cutting wiring every WalletGrains process shares: telemetry, health checks, problem details.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks tagged with this take part in <c>/health/ready</c>; <c>/health/live</c> runs none.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The name of the service's own meter and activity source.</summary>
    public const string TelemetryName = "WalletGrains";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();

        // Telemetry is collected only when an OTLP endpoint is configured: with nobody to export to, recording a
        // span and a histogram sample per request would cost the hot path for nothing. (dotnet-counters still reads
        // the runtime's, ASP.NET Core's and Orleans' own meters.)
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry()
                .WithMetrics(metrics => metrics
                    .AddAspNetCoreInstrumentation()
                    .AddMeter("Microsoft.Orleans")
                    .AddMeter(TelemetryName))
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                    .AddSource("Microsoft.Orleans.Runtime")
                    .AddSource("Microsoft.Orleans.Application")
                    .AddSource(TelemetryName))
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Maps <c>/health/live</c> (the process answers) and <c>/health/ready</c> (the cluster answers too).</summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }

    /// <summary>Registers a readiness check.</summary>
    public static IHealthChecksBuilder AddReadinessCheck<T>(this IServiceCollection services, string name)
        where T : class, IHealthCheck =>
        services.AddHealthChecks().AddCheck<T>(name, tags: [ReadyTag]);
}
