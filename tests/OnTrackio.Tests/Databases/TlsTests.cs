using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Databases;

/// <summary>With <c>RequireTls</c> on (as production configuration has it) every connection is TLS with a verified certificate.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task RequireTls_ServerWithTrustedCertificate_ProvisionsAndServesOverTls()
    {
        await using var platform = await TestPlatform.PostgresAsync([TestCluster.B], RequireTls, catalogCluster: TestCluster.B);
        var created = await platform.CreateWorkspaceAsync("secure");
        await using var host = await platform.StartWebHostAsync();

        Assert.Equal(created.Id, await host.WorkspaceIdAtAsync("secure.localhost"));
        var encrypted = await TestCluster.B.QueryAsync<bool>("postgres", $"""
            SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid WHERE a.datname = '{created.DatabaseName}'
            """);
        Assert.NotEmpty(encrypted);
        Assert.All(encrypted, Assert.True);
    }

    [Fact]
    public async Task RequireTls_ServerWithoutTls_IsRefusedWhenAdded()
    {
        await using var platform = await TestPlatform.PostgresAsync([TestCluster.B], RequireTls, catalogCluster: TestCluster.B);

        var result = await platform.CliAsync("server", "add", "--name", TestPlatform.ServerA, "--region", "eu-central-1", "--connection", TestCluster.A.ConnectionWithoutPassword);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Cannot connect", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(TestCluster.A.Password, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireTls_UntrustedCertificate_IsRefused()
    {
        await using var platform = await TestPlatform.PostgresAsync([TestCluster.B], RequireTls, catalogCluster: TestCluster.B);

        // Without the test CA the server's certificate cannot be verified, so even the catalog is unreachable.
        var result = await platform.CliWithConfigAsync(
            c =>
            {
                c["OnTrackio:Database:Postgres:RootCertificate"] = null;
                var catalog = new Npgsql.NpgsqlConnectionStringBuilder(c["OnTrackio:Database:Postgres:CatalogConnectionString"]) { RootCertificate = null };
                c["OnTrackio:Database:Postgres:CatalogConnectionString"] = catalog.ConnectionString;
            },
            "workspace",
            "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("certificate", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestCluster.B.Password, result.Error, StringComparison.Ordinal);
    }

    private static void RequireTls(Dictionary<string, string?> configuration) =>
        configuration["OnTrackio:Database:Postgres:RequireTls"] = "true";
}
