using System.Net;
using System.Net.Http.Json;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Provisioning;
using OnTrackio.Register;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Assets;

public sealed class AssetApiTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;
    private Guid _modelId;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("reg");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, Password);
        _modelId = (await _owner.CreateModelAsync()).Id;
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Create_WithoutTag_NumbersFromTheSequence_AndAuditsEveryField()
    {
        var first = await _owner.CreateAssetAsync(_modelId);
        var second = await _owner.CreateAssetAsync(_modelId, serial: "SN-2");
        var typed = await _owner.CreateAssetAsync(_modelId, tag: "A-000003");
        var fourth = await _owner.CreateAssetAsync(_modelId);

        Assert.Equal("A-000001", first.Tag);
        Assert.Equal("A-000002", second.Tag);
        Assert.Equal("A-000004", fourth.Tag);
        Assert.Equal("A-000003", typed.Tag);
        Assert.Equal("EUR", first.Currency);
        Assert.Equal(1299.50m, first.Cost);
        Assert.Equal(new DateOnly(2030, 1, 15), first.EndOfLife);
        Assert.Equal("Laptops", first.CategoryName);
        Assert.Equal(1, first.Version);
        var changes = await QueryAsync($"SELECT changes FROM audit_events WHERE type = 'AssetCreated' AND entity_id = '{first.Id}'");
        Assert.Contains("\"field\":\"tag\",\"before\":null,\"after\":\"A-000001\"", Assert.Single(changes), StringComparison.Ordinal);
        Assert.Contains("\"field\":\"currency\",\"before\":null,\"after\":\"EUR\"", changes[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_WithStaleETag_Is412_AndTheFirstChangeIsKept()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);
        var alice = RegisterSteps.EditOf(asset);
        alice.Name = "Renamed by Alice";
        var bob = RegisterSteps.EditOf(asset);
        bob.Notes = "Bob's note";

        using var saved = await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", alice, ("If-Match", asset.ETag));
        using var stale = await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", bob, ("If-Match", asset.ETag));
        using var missing = await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", bob);
        var now = await _owner.ReadAsync<AssetView>($"/api/v1/assets/{asset.Id}");

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("\"2\"", saved.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Someone else changed asset", await stale.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PreconditionRequired, missing.StatusCode);
        Assert.Equal("Renamed by Alice", now.Name);
        Assert.Null(now.Notes);
        Assert.Equal(2, now.Version);
        var updates = await QueryAsync($"SELECT changes FROM audit_events WHERE type = 'AssetUpdated' AND entity_id = '{asset.Id}'");
        Assert.Equal("[{\"field\":\"name\",\"before\":\"Laptop\",\"after\":\"Renamed by Alice\"}]", Assert.Single(updates));
    }

    [Fact]
    public async Task ConcurrentUpdates_OverTheSameVersion_OneWins_TheOthersAre412()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);

        var responses = await Task.WhenAll(Enumerable.Range(1, 6).Select(async i =>
        {
            var edit = RegisterSteps.EditOf(asset);
            edit.Name = $"Editor {i}";
            using var response = await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", edit, ("If-Match", asset.ETag));
            return (response.StatusCode, edit.Name);
        }));
        var now = await _owner.ReadAsync<AssetView>($"/api/v1/assets/{asset.Id}");

        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r != winner), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
        Assert.Equal(winner.Name, now.Name);
        Assert.Equal(2, now.Version);
        Assert.Single(await QueryAsync($"SELECT id::text FROM audit_events WHERE type = 'AssetUpdated' AND entity_id = '{asset.Id}'"));
    }

    [Fact]
    public async Task ConcurrentCreates_WithoutTags_GetDistinctNumbers()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _owner.CreateAssetAsync(_modelId)));

        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"A-{i:000000}"), created.Select(a => a.Tag).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DuplicateTag_IsAConflictProblem_OnCreateAndUpdate()
    {
        var taken = await _owner.CreateAssetAsync(_modelId, tag: "LAP-1");
        var other = await _owner.CreateAssetAsync(_modelId, tag: "LAP-2");
        var rename = RegisterSteps.EditOf(other);
        rename.Tag = "LAP-1";

        using var create = await _owner.PostJsonAsync("/api/v1/assets", new AssetInput { Tag = "LAP-1", ModelId = _modelId, StatusLabelId = ReferenceDefaults.ReadyToDeploy });
        using var update = await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{other.Id}", rename, ("If-Match", other.ETag));

        Assert.Equal(HttpStatusCode.Conflict, create.StatusCode);
        Assert.Equal("application/problem+json", create.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Asset tag 'LAP-1' is already used", await create.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, update.StatusCode);
        Assert.Equal("LAP-2", (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{other.Id}")).Tag);
        Assert.Equal(taken.Id, (await _owner.ReadAsync<AssetView>("/api/v1/assets/by-tag/LAP-1")).Id);
    }

    [Fact]
    public async Task BadMoneyAndDates_AreRefusedWithEveryReason_AndNothingIsWritten()
    {
        using var refused = await _owner.PostJsonAsync("/api/v1/assets", new AssetInput
        {
            ModelId = _modelId,
            StatusLabelId = ReferenceDefaults.ReadyToDeploy,
            PurchaseDate = "2026-13-01",
            WarrantyEnd = "31/12/2027",
            Cost = -5m,
            Currency = "EURO",
        });
        using var noCurrency = await _owner.PostJsonAsync("/api/v1/assets", new AssetInput { ModelId = _modelId, StatusLabelId = ReferenceDefaults.ReadyToDeploy, Cost = 10.123456m, Currency = "XYZ" });
        using var unknownModel = await _owner.PostJsonAsync("/api/v1/assets", new AssetInput { ModelId = Guid.CreateVersion7(), StatusLabelId = ReferenceDefaults.ReadyToDeploy });
        var problem = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Purchase date '2026-13-01' is not a date", problem, StringComparison.Ordinal);
        Assert.Contains("Warranty end '31/12/2027' is not a date", problem, StringComparison.Ordinal);
        Assert.Contains("Currency 'EURO' is not an ISO 4217 currency code", problem, StringComparison.Ordinal);
        Assert.Contains("Cost cannot be negative", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noCurrency.StatusCode);
        Assert.Contains("more than 4 decimal places", await noCurrency.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownModel.StatusCode);
        Assert.Contains("no model with that id", await unknownModel.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM assets"));
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM audit_events WHERE type LIKE 'Asset%'"));
    }

    [Fact]
    public async Task CheckOutAndIn_MoveTheAsset_FillTheTimeline_AndAudit()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);
        var ada = await _owner.CreatePersonAsync("Ada Lovelace", "ada@reg.example");

        using var checkedOut = await _owner.PostJsonAsync($"/api/v1/assets/{asset.Id}/checkout", new CheckOutInput { PersonId = ada.Id, ExpectedCheckIn = "2099-03-01" });
        var held = (await checkedOut.Content.ReadFromJsonAsync<AssetView>(TestContext.Current.CancellationToken))!;
        using var again = await _owner.PostJsonAsync($"/api/v1/assets/{asset.Id}/checkout", new CheckOutInput { PersonId = ada.Id });
        var adasPage = await _owner.ReadAsync<AssetPage>($"/api/v1/assets?person={ada.Id}");
        using var delete = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/assets/{asset.Id}");
        using var checkedIn = await _owner.PostJsonAsync($"/api/v1/assets/{asset.Id}/checkin", new { note = "returned at desk" });
        using var twice = await _owner.PostJsonAsync($"/api/v1/assets/{asset.Id}/checkin", new { });
        var history = await _owner.ReadAsync<List<AssetHistoryView>>($"/api/v1/assets/{asset.Id}/history");

        Assert.Equal(HttpStatusCode.OK, checkedOut.StatusCode);
        Assert.Equal(new Assignee("person", ada.Id, "Ada Lovelace"), held.AssignedTo);
        Assert.True(held.Deployed);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(asset.Id, Assert.Single(adasPage.Items).Id);
        Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, checkedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(["checked in", "checked out", "created"], history.Select(h => h.Action));
        Assert.Equal("to Ada Lovelace, back by 2099-03-01", history[1].Detail);
        Assert.Equal("returned at desk", history[0].Detail);
        Assert.Equal("owner@reg.example", history[0].ActorLabel);
        var audit = await QueryAsync($"SELECT changes FROM audit_events WHERE type = 'AssetCheckedOut' AND entity_id = '{asset.Id}'");
        Assert.Contains($"\"field\":\"assignedPersonId\",\"before\":null,\"after\":\"{ada.Id}\"", Assert.Single(audit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckOut_OfAnAssetThatIsNotDeployable_IsRefused()
    {
        var pending = await _owner.CreateAssetAsync(_modelId, status: ReferenceDefaults.Pending);
        var ready = await _owner.CreateAssetAsync(_modelId);

        using var refused = await _owner.PostJsonAsync($"/api/v1/assets/{pending.Id}/checkout", new CheckOutInput { LocationId = null, AssetId = ready.Id });
        using var two = await _owner.PostJsonAsync($"/api/v1/assets/{ready.Id}/checkout", new CheckOutInput { AssetId = pending.Id, PersonId = Guid.CreateVersion7() });
        using var self = await _owner.PostJsonAsync($"/api/v1/assets/{ready.Id}/checkout", new CheckOutInput { AssetId = ready.Id });
        using var past = await _owner.PostJsonAsync($"/api/v1/assets/{ready.Id}/checkout", new CheckOutInput { AssetId = pending.Id, ExpectedCheckIn = "2000-01-01" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("'Pending', which is not deployable", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, two.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Null((await _owner.ReadAsync<AssetView>($"/api/v1/assets/{ready.Id}")).AssignedTo);
    }

    [Fact]
    public async Task Delete_HidesTheAsset_AndRestoreBringsItBack()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);

        using var deleted = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/assets/{asset.Id}");
        var live = await _owner.ReadAsync<AssetPage>("/api/v1/assets");
        var bin = await _owner.ReadAsync<AssetPage>("/api/v1/assets?deleted=true");
        using var edit = await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", RegisterSteps.EditOf(asset), ("If-Match", "\"2\""));
        using var restored = await _owner.PostJsonAsync($"/api/v1/assets/{asset.Id}/restore", new { });

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(live.Items);
        Assert.Equal(asset.Id, Assert.Single(bin.Items).Id);
        Assert.Equal(HttpStatusCode.BadRequest, edit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Single((await _owner.ReadAsync<AssetPage>("/api/v1/assets")).Items);
        Assert.Equal(["AssetCreated", "AssetDeleted", "AssetRestored"], await QueryAsync($"SELECT type FROM audit_events WHERE entity_id = '{asset.Id}' ORDER BY id"));
    }

    [Fact]
    public async Task List_PagesByCursor_FiltersAndSearches()
    {
        var phone = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "Pixel 9", CategoryId = new Guid("0193b000-0000-7000-8000-000000000204") });
        for (var i = 0; i < 5; i++)
        {
            await _owner.CreateAssetAsync(_modelId, serial: $"SN-{i}");
        }

        await _owner.CreateAssetAsync(phone.Id, serial: "PX-1", status: ReferenceDefaults.Broken);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _owner.ReadAsync<AssetPage>($"/api/v1/assets?limit=2{(cursor is null ? string.Empty : "&cursor=" + cursor)}");
            seen.AddRange(page.Items.Select(a => a.Tag));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(["A-000001", "A-000002", "A-000003", "A-000004", "A-000005", "A-000006"], seen);
        Assert.Equal("PX-1", Assert.Single((await _owner.ReadAsync<AssetPage>("/api/v1/assets?q=px")).Items).Serial);
        Assert.Equal("A-000006", Assert.Single((await _owner.ReadAsync<AssetPage>($"/api/v1/assets?category={phone.CategoryId}")).Items).Tag);
        Assert.Equal("A-000006", Assert.Single((await _owner.ReadAsync<AssetPage>($"/api/v1/assets?status={ReferenceDefaults.Broken}")).Items).Tag);
        Assert.Equal(5, (await _owner.ReadAsync<AssetPage>("/api/v1/assets?q=a-00000&status=" + ReferenceDefaults.ReadyToDeploy)).Items.Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await _owner.GetAsync("/api/v1/assets?cursor=!!")).StatusCode);
    }

    [Fact]
    public async Task Export_WritesEveryFilteredAsset_AsCsvWithFormulasDefused_AndOnlyThisWorkspaces()
    {
        await _owner.CreateAssetAsync(_modelId, serial: "=2+2");
        await _owner.CreateAssetAsync(_modelId, serial: "SN-plain");
        await _owner.CreateAssetAsync(_modelId, serial: "SN-broken", status: ReferenceDefaults.Broken);
        var other = await _platform.CreateWorkspaceAsync("elsewhere");
        var otherOwner = await BrowserSession.AcceptInvitationAsync(_host, other.InvitationLink, Password);
        await otherOwner.CreateAssetAsync((await otherOwner.CreateModelAsync()).Id, serial: "SN-theirs");

        using var all = await _owner.GetAsync("/api/v1/assets/export.csv");
        var allText = await all.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var filtered = await (await _owner.GetAsync($"/api/v1/assets/export.csv?status={ReferenceDefaults.Broken}")).TextAsync();
        var theirs = await (await otherOwner.GetAsync("/api/v1/assets/export.csv")).TextAsync();

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("text/csv", all.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", all.Content.Headers.ContentDisposition?.DispositionType);
        var lines = allText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(AssetCsv.Header, lines[0]);
        Assert.Equal(["A-000001", "A-000002", "A-000003"], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.StartsWith("A-000001,'=2+2,", lines[1], StringComparison.Ordinal);
        Assert.Contains("EUR", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, filtered.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("SN-broken", filtered, StringComparison.Ordinal);
        Assert.DoesNotContain("SN-", allText.Replace("SN-plain", string.Empty, StringComparison.Ordinal).Replace("SN-broken", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("SN-theirs", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("=2+2", theirs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReferenceData_InUse_CannotBeDeleted()
    {
        var dock = await _owner.CreateReferenceAsync("categories", new ReferenceInput { Name = "Docks" });
        var model = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "Dock 3", CategoryId = dock.Id });
        var hq = await _owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "HQ" });
        var floor = await _owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "Floor 1", ParentId = hq.Id });

        using var categoryInUse = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/categories/{dock.Id}");
        using var parentInUse = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/locations/{hq.Id}");
        using var loop = await _owner.PutJsonAsync($"/api/v1/locations/{hq.Id}", new ReferenceInput { Name = "HQ", ParentId = floor.Id });
        using var duplicate = await _owner.PostJsonAsync("/api/v1/categories", new ReferenceInput { Name = "Docks" });
        using var kindless = await _owner.PostJsonAsync("/api/v1/status-labels", new ReferenceInput { Name = "Lost" });
        using var lost = await _owner.PostJsonAsync("/api/v1/status-labels", new { name = "Lost", kind = "Archived" });
        using var modelGone = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/models/{model.Id}");
        using var categoryGone = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/categories/{dock.Id}");

        Assert.Equal(HttpStatusCode.Conflict, categoryInUse.StatusCode);
        Assert.Contains("still used by 1 model", await categoryInUse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, parentInUse.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, loop.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, kindless.StatusCode);
        Assert.Equal(HttpStatusCode.Created, lost.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, modelGone.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, categoryGone.StatusCode);
        Assert.Contains("ReferenceDeleted", await QueryAsync("SELECT type FROM audit_events"));
    }

    [Fact]
    public async Task FailingSave_LeavesNeitherTheChangeNorItsAuditEntry()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);
        await TestCluster.A.ExecuteAsync(_workspace.DatabaseName, """
            CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.notes = 'boom' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_boom BEFORE UPDATE ON assets FOR EACH ROW EXECUTE FUNCTION refuse_boom();
            """);
        var edit = RegisterSteps.EditOf(asset);
        edit.Notes = "boom";

        using var failed = await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", edit, ("If-Match", asset.ETag));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(["AssetCreated"], await QueryAsync($"SELECT type FROM audit_events WHERE entity_id = '{asset.Id}'"));
        Assert.Equal(["created"], await QueryAsync($"SELECT action FROM asset_history WHERE asset_id = '{asset.Id}'"));
        Assert.Null((await _owner.ReadAsync<AssetView>($"/api/v1/assets/{asset.Id}")).Notes);
    }

    [Fact]
    public async Task Member_SeesNoAssets_AndAuditorChangesNothing()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);
        var member = await InviteAsync("member@reg.example", WorkspaceRoles.Member);
        var auditor = await InviteAsync("auditor@reg.example", WorkspaceRoles.Auditor);

        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/api/v1/assets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/assets/{asset.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostJsonAsync($"/api/v1/assets/{asset.Id}/checkout", new CheckOutInput())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.SendAsync(HttpMethod.Delete, $"/api/v1/assets/{asset.Id}")).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_IsServedToSignedInPeopleOnly()
    {
        using var document = await _owner.GetAsync("/openapi/v1.json");
        using var anonymous = await new BrowserSession(_host, "reg.localhost").GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Contains("/api/v1/assets/{id}/checkout", await document.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/sign-in", anonymous.Headers.Location?.AbsolutePath, StringComparison.Ordinal);
    }

    private async Task<BrowserSession> InviteAsync(string email, string role)
    {
        using var invited = await _owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest(email, role));
        var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>(TestContext.Current.CancellationToken);
        return await BrowserSession.AcceptInvitationAsync(_host, issued!.Link, Password);
    }

    private Task<List<string>> QueryAsync(string sql) => TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, sql);
}
