using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Catalog;
using OnTrackio.Provisioning;

namespace OnTrackio.Cli;

internal static class WorkspaceCommands
{
    public static Command Create(CliConsole console, Func<ServiceProvider> services)
    {
        var name = new Option<string>("--name") { Description = "Display name, e.g. \"Acme Ltd\"", Required = true };
        var slug = new Option<string>("--slug") { Description = "Subdomain: 3-40 lower-case letters, digits, hyphens", Required = true };
        var region = new Option<string>("--region") { Description = "Residency region", DefaultValueFactory = _ => CatalogDbContext.DefaultRegionId };
        var owner = new Option<string>("--owner-email") { Description = "Who receives the owner invitation", Required = true };
        var create = new Command("create", "Provision a workspace: its own database, its platform domain, its owner's invitation.")
        {
            name, slug, region, owner,
        };
        create.Run(services, async (parsed, provider, ct) =>
        {
            var created = await provider.GetRequiredService<CreateWorkspace>().ExecuteAsync(
                new CreateWorkspaceRequest(parsed.GetValue(name), parsed.GetValue(slug), parsed.GetValue(region), parsed.GetValue(owner)), ct);
            await console.Out.WriteLineAsync($"""
                Created workspace '{created.Slug}' ({created.Id})
                  address:  {created.Hostname}
                  database: {created.DatabaseName} on server {created.ServerName}
                Owner invitation (shown once; only its hash is stored):
                  {created.InvitationLink}
                """);
            return OperatorCli.Succeeded;
        });

        var list = new Command("list", "List every workspace in the catalog.");
        list.Run(services, async (_, provider, ct) =>
        {
            var workspaces = await provider.GetRequiredService<WorkspaceSummaries>().ListAsync(ct);
            await console.Out.WriteLineAsync($"{"SLUG",-24} {"STATUS",-9} {"REGION",-14} {"SERVER",-16} {"PRIMARY HOST"}");
            foreach (var w in workspaces)
            {
                await console.Out.WriteLineAsync($"{w.Slug,-24} {w.Status,-9} {w.Region,-14} {w.Server,-16} {(w.Domains.Count > 0 ? w.Domains[0].Hostname : string.Empty)}");
            }

            await console.Out.WriteLineAsync($"{workspaces.Count} workspace(s)");
            return OperatorCli.Succeeded;
        });

        var showSlug = new Argument<string>("slug");
        var show = new Command("show", "Show one workspace and its domains.") { showSlug };
        show.Run(services, async (parsed, provider, ct) =>
        {
            var w = await provider.GetRequiredService<WorkspaceSummaries>().ShowAsync(parsed.GetValue(showSlug)!, ct);
            await console.Out.WriteLineAsync($"""
                {w.DisplayName} ({w.Slug})
                  id:             {w.Id}
                  status:         {w.Status}
                  region:         {w.Region}
                  server:         {w.Server}
                  database:       {w.DatabaseName}
                  schema version: {w.SchemaVersion}
                  created:        {w.CreatedAt:u}
                  domains:
                """);
            foreach (var d in w.Domains)
            {
                var state = d.VerifiedAt is { } at ? $"verified {at:u}" : $"pending (token {d.VerificationToken})";
                await console.Out.WriteLineAsync($"    {d.Hostname}{(d.IsPrimary ? " (primary)" : string.Empty)}: {state}");
            }

            return OperatorCli.Succeeded;
        });

        var deleteSlug = new Argument<string>("slug");
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation" };
        var delete = new Command("delete", "Drop a workspace's database and remove it from the catalog. Irreversible.") { deleteSlug, yes };
        delete.Run(services, async (parsed, provider, ct) =>
        {
            var target = parsed.GetValue(deleteSlug)!;
            var summary = await provider.GetRequiredService<WorkspaceSummaries>().ShowAsync(target, ct);
            if (!parsed.GetValue(yes)
                && !await console.ConfirmAsync(
                    $"This drops database {summary.DatabaseName} and everything workspace '{target}' holds. Type the slug to confirm: ", target))
            {
                await console.Error.WriteLineAsync("Not confirmed; nothing was deleted.");
                return OperatorCli.Refused;
            }

            await provider.GetRequiredService<DeleteWorkspace>().ExecuteAsync(target, ct);
            await console.Out.WriteLineAsync($"Deleted workspace '{target}'.");
            return OperatorCli.Succeeded;
        });

        return new Command("workspace", "Create, list, show and delete workspaces.") { create, list, show, delete };
    }
}
