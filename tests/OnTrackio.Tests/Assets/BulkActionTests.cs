using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Provisioning;
using OnTrackio.Register;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Assets;

/// <summary>Bulk edit, check-out and check-in: all or nothing, every refusal named, every asset audited, this workspace only.</summary>
public sealed class BulkActionTests : IAsyncLifetime
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
        _workspace = await _platform.CreateWorkspaceAsync("bulk");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, Password);
        _modelId = (await _owner.CreateModelAsync()).Id;
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task BulkCheckOut_WithAssetsThatCannotGo_ChangesNothing_AndNamesEachWithItsReason()
    {
        var ready = await _owner.CreateAssetAsync(_modelId);
        var alsoReady = await _owner.CreateAssetAsync(_modelId);
        var pending = await _owner.CreateAssetAsync(_modelId, status: ReferenceDefaults.Pending);
        var held = await _owner.CreateAssetAsync(_modelId);
        var deleted = await _owner.CreateAssetAsync(_modelId);
        var ada = await _owner.CreatePersonAsync("Ada Lovelace", "ada@bulk.example");
        var grace = await _owner.CreatePersonAsync("Grace Hopper", "grace@bulk.example");
        (await _owner.PostJsonAsync($"/api/v1/assets/{held.Id}/checkout", new CheckOutInput { PersonId = grace.Id })).Dispose();
        (await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/assets/{deleted.Id}")).Dispose();
        var auditBefore = await CountAsync("SELECT count(*)::text FROM audit_events");

        using var refused = await _owner.PostJsonAsync("/api/v1/assets/bulk/checkout", new BulkCheckOutInput
        {
            Ids = [ready.Id, pending.Id, alsoReady.Id, held.Id, deleted.Id],
            PersonId = ada.Id,
        });
        var problem = await ProblemAsync(refused);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("3 of the 5 selected assets cannot take this change, so nothing was changed", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(
            [
                (pending.Id, pending.Tag, $"Asset {pending.Tag} is 'Pending', which is not deployable; only a deployable asset can be checked out."),
                (held.Id, held.Tag, $"Asset {held.Tag} is already checked out; check it in first."),
                (deleted.Id, deleted.Tag, $"Asset {deleted.Tag} is deleted; restore it before checking it out."),
            ],
            problem.Errors.OrderBy(e => e.Tag, StringComparer.Ordinal));
        Assert.Null((await _owner.ReadAsync<AssetView>($"/api/v1/assets/{ready.Id}")).AssignedTo);
        Assert.Null((await _owner.ReadAsync<AssetView>($"/api/v1/assets/{alsoReady.Id}")).AssignedTo);
        Assert.Equal(1, (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{ready.Id}")).Version);
        Assert.Equal(auditBefore, await CountAsync("SELECT count(*)::text FROM audit_events"));
    }

    [Fact]
    public async Task BulkCheckOutThenIn_MovesEveryAsset_EachWithItsOwnTimelineLineAndAuditEntry()
    {
        var assets = new[] { await _owner.CreateAssetAsync(_modelId), await _owner.CreateAssetAsync(_modelId), await _owner.CreateAssetAsync(_modelId) };
        var ada = await _owner.CreatePersonAsync("Ada Lovelace", "ada@bulk.example");
        var ids = assets.Select(a => a.Id).ToList();

        using var checkedOut = await _owner.PostJsonAsync("/api/v1/assets/bulk/checkout", new BulkCheckOutInput { Ids = ids, PersonId = ada.Id, ExpectedCheckIn = "2099-06-30" });
        var outResult = await checkedOut.Content.ReadFromJsonAsync<BulkResult>(TestContext.Current.CancellationToken);
        var adas = await _owner.ReadAsync<AssetPage>($"/api/v1/assets?person={ada.Id}");
        using var checkedIn = await _owner.PostJsonAsync("/api/v1/assets/bulk/checkin", new BulkCheckInInput { Ids = ids, Note = "back from the offsite" });
        var inResult = await checkedIn.Content.ReadFromJsonAsync<BulkResult>(TestContext.Current.CancellationToken);
        var history = await _owner.ReadAsync<List<AssetHistoryView>>($"/api/v1/assets/{assets[1].Id}/history");

        Assert.Equal(HttpStatusCode.OK, checkedOut.StatusCode);
        Assert.All(outResult!.Items, a => Assert.Equal(new Assignee("person", ada.Id, "Ada Lovelace"), a.AssignedTo));
        Assert.Equal(assets.Select(a => a.Tag), outResult.Items.Select(a => a.Tag));
        Assert.Equal(3, adas.Items.Count);
        Assert.Equal(HttpStatusCode.OK, checkedIn.StatusCode);
        Assert.All(inResult!.Items, a => Assert.Null(a.AssignedTo));
        Assert.All(inResult.Items, a => Assert.Equal(3, a.Version));
        Assert.Equal(["checked in", "checked out", "created"], history.Select(h => h.Action));
        Assert.Equal("to Ada Lovelace, back by 2099-06-30 (bulk change of 3 assets)", history[1].Detail);
        Assert.Equal("back from the offsite (bulk change of 3 assets)", history[0].Detail);
        foreach (var asset in assets)
        {
            Assert.Equal(["AssetCheckedIn", "AssetCheckedOut", "AssetCreated"], await QueryAsync($"SELECT type FROM audit_events WHERE entity_id = '{asset.Id}' ORDER BY type"));
        }
    }

    [Fact]
    public async Task BulkUpdate_SetsOnlyTheChosenValues_AndAuditsEachAssetsOwnChanges()
    {
        var first = await _owner.CreateAssetAsync(_modelId, serial: "SN-1");
        var second = await _owner.CreateAssetAsync(_modelId, serial: "SN-2", status: ReferenceDefaults.Broken);
        var hq = await _owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "HQ" });

        using var updated = await _owner.PostJsonAsync("/api/v1/assets/bulk/update", new BulkUpdateInput
        {
            Ids = [first.Id, second.Id],
            StatusLabelId = ReferenceDefaults.Broken,
            LocationId = hq.Id,
        });
        var result = await updated.Content.ReadFromJsonAsync<BulkResult>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.All(result!.Items, a => Assert.Equal(("Broken", "HQ", "Laptop", 1299.50m), (a.StatusName, a.LocationName, a.Name, a.Cost!.Value)));
        Assert.Equal(["SN-1", "SN-2"], result.Items.Select(a => a.Serial));
        Assert.Equal(
            $"[{{\"field\":\"statusLabelId\",\"before\":\"{ReferenceDefaults.ReadyToDeploy}\",\"after\":\"{ReferenceDefaults.Broken}\"}},{{\"field\":\"locationId\",\"before\":null,\"after\":\"{hq.Id}\"}}]",
            Assert.Single(await QueryAsync($"SELECT changes FROM audit_events WHERE type = 'AssetUpdated' AND entity_id = '{first.Id}'")));
        Assert.Equal(
            $"[{{\"field\":\"locationId\",\"before\":null,\"after\":\"{hq.Id}\"}}]",
            Assert.Single(await QueryAsync($"SELECT changes FROM audit_events WHERE type = 'AssetUpdated' AND entity_id = '{second.Id}'")));
        Assert.Equal("locationId (bulk change of 2 assets)", (await _owner.ReadAsync<List<AssetHistoryView>>($"/api/v1/assets/{second.Id}/history"))[0].Detail);
    }

    [Fact]
    public async Task BulkUpdate_OverAStaleVersion_OrAnExpectedCheckInForAnAssetNotOut_ChangesNothing()
    {
        var fresh = await _owner.CreateAssetAsync(_modelId);
        var changed = await _owner.CreateAssetAsync(_modelId);
        var rename = RegisterSteps.EditOf(changed);
        rename.Name = "Renamed meanwhile";
        (await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{changed.Id}", rename, ("If-Match", changed.ETag))).Dispose();

        using var stale = await _owner.PostJsonAsync("/api/v1/assets/bulk/update", new BulkUpdateInput
        {
            Ids = [fresh.Id, changed.Id],
            Versions = new() { [fresh.Id] = fresh.Version, [changed.Id] = changed.Version },
            StatusLabelId = ReferenceDefaults.InRepair,
        });
        using var notOut = await _owner.PostJsonAsync("/api/v1/assets/bulk/update", new BulkUpdateInput { Ids = [fresh.Id], ExpectedCheckIn = "2099-01-01" });
        using var nothing = await _owner.PostJsonAsync("/api/v1/assets/bulk/update", new BulkUpdateInput { Ids = [fresh.Id] });
        using var past = await _owner.PostJsonAsync("/api/v1/assets/bulk/update", new BulkUpdateInput { Ids = [fresh.Id], ExpectedCheckIn = "2001-01-01" });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var error = Assert.Single((await ProblemAsync(stale)).Errors);
        Assert.Equal((changed.Id, changed.Tag), (error.Id, error.Tag));
        Assert.Contains("Someone else changed asset", error.Reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, notOut.StatusCode);
        Assert.Contains("is not checked out, so it has no expected check-in", Assert.Single((await ProblemAsync(notOut)).Errors).Reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Contains("Choose at least one value to set", await nothing.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal("Ready to deploy", (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{fresh.Id}")).StatusName);
        Assert.Empty(await QueryAsync($"SELECT id::text FROM audit_events WHERE type = 'AssetUpdated' AND entity_id = '{fresh.Id}'"));
    }

    [Fact]
    public async Task BulkUpdate_ToAModelWithOtherCustomFields_IsRefused_ButToOneWithTheSameFieldsGoesThrough()
    {
        var sameFields = await _owner.CreateModelAsync("ThinkPad T16");
        var otherFields = await _owner.CreateModelAsync("MacBook Pro");
        await TestCluster.A.ExecuteAsync(_workspace.DatabaseName, $"""
            INSERT INTO custom_field_sets (id, name) VALUES ('0193b000-0000-7000-8000-00000000f001', 'Mac fields');
            INSERT INTO custom_fields (id, name, type, required) VALUES ('0193b000-0000-7000-8000-00000000f002', 'Serial of the charger', 'Text', false);
            INSERT INTO custom_field_set_members (set_id, field_id, position) VALUES ('0193b000-0000-7000-8000-00000000f001', '0193b000-0000-7000-8000-00000000f002', 0);
            UPDATE asset_models SET field_set_id = '0193b000-0000-7000-8000-00000000f001' WHERE id = '{otherFields.Id}';
            """);
        var asset = await _owner.CreateAssetAsync(_modelId);

        using var refused = await _owner.PostJsonAsync("/api/v1/assets/bulk/update", new BulkUpdateInput { Ids = [asset.Id], ModelId = otherFields.Id });
        using var moved = await _owner.PostJsonAsync("/api/v1/assets/bulk/update", new BulkUpdateInput { Ids = [asset.Id], ModelId = sameFields.Id });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("whose custom fields differ from those of MacBook Pro", Assert.Single((await ProblemAsync(refused)).Errors).Reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("ThinkPad T16", (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{asset.Id}")).ModelName);
    }

    [Fact]
    public async Task BulkChange_OfMoreThanTheCap_OrOfNothing_IsRefused()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);
        var tooMany = Enumerable.Range(0, BulkChange.MaxAssets).Select(_ => Guid.CreateVersion7()).Append(asset.Id).ToList();

        using var capped = await _owner.PostJsonAsync("/api/v1/assets/bulk/checkin", new BulkCheckInInput { Ids = tooMany });
        using var none = await _owner.PostJsonAsync("/api/v1/assets/bulk/checkin", new BulkCheckInInput { Ids = [] });
        using var duplicates = await _owner.PostJsonAsync("/api/v1/assets/bulk/update", new BulkUpdateInput
        {
            Ids = [.. Enumerable.Repeat(asset.Id, BulkChange.MaxAssets + 1)],
            StatusLabelId = ReferenceDefaults.Broken,
        });

        Assert.Equal(HttpStatusCode.BadRequest, capped.StatusCode);
        Assert.Contains("Select at most 500 assets for one bulk change; 501 were selected", await capped.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, duplicates.StatusCode);
        Assert.Single(await QueryAsync($"SELECT id::text FROM audit_events WHERE type = 'AssetUpdated' AND entity_id = '{asset.Id}'"));
    }

    [Fact]
    public async Task BulkChange_WithAnIdOfAnotherWorkspace_ChangesNothingInEither_AndReportsItAsUnknown()
    {
        var other = await _platform.CreateWorkspaceAsync("bulk-other");
        var stranger = await BrowserSession.AcceptInvitationAsync(_host, other.InvitationLink, Password);
        var theirs = await stranger.CreateAssetAsync((await stranger.CreateModelAsync()).Id, tag: "THEIRS-1");
        var mine = await _owner.CreateAssetAsync(_modelId);

        using var refused = await _owner.PostJsonAsync("/api/v1/assets/bulk/update", new BulkUpdateInput { Ids = [mine.Id, theirs.Id], StatusLabelId = ReferenceDefaults.Broken });
        using var theirCheckIn = await _owner.PostJsonAsync("/api/v1/assets/bulk/checkin", new BulkCheckInInput { Ids = [theirs.Id] });
        var problem = await ProblemAsync(refused);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal((theirs.Id, (string?)null, "This workspace has no asset with that id."), Assert.Single(problem.Errors));
        Assert.Equal(HttpStatusCode.BadRequest, theirCheckIn.StatusCode);
        Assert.Equal("Ready to deploy", (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{mine.Id}")).StatusName);
        Assert.Equal("Ready to deploy", (await stranger.ReadAsync<AssetView>($"/api/v1/assets/{theirs.Id}")).StatusName);
        Assert.Equal(["AssetCreated"], await TestCluster.A.QueryAsync<string>(other.DatabaseName, $"SELECT type FROM audit_events WHERE entity_id = '{theirs.Id}'"));
        Assert.DoesNotContain(theirs.Tag, await (await _owner.GetAsync($"/assets/bulk?ids={theirs.Id}")).TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditorAndMember_CannotBulkChange()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);
        var auditor = await InviteAsync("auditor@bulk.example", WorkspaceRoles.Auditor);
        var member = await InviteAsync("member@bulk.example", WorkspaceRoles.Member);

        foreach (var session in new[] { auditor, member })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await session.PostJsonAsync("/api/v1/assets/bulk/update", new BulkUpdateInput { Ids = [asset.Id], StatusLabelId = ReferenceDefaults.Broken })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await session.PostJsonAsync("/api/v1/assets/bulk/checkout", new BulkCheckOutInput { Ids = [asset.Id] })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync("/assets/bulk")).StatusCode);
        }

        Assert.DoesNotContain("bulk-selection", await (await auditor.GetAsync("/assets")).TextAsync(), StringComparison.Ordinal);
        Assert.Equal("Ready to deploy", (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{asset.Id}")).StatusName);
    }

    [Fact]
    public async Task BulkPage_SelectReviewConfirm_ChangesTheTickedAssets_AndARefusalKeepsEverything()
    {
        var first = await _owner.CreateAssetAsync(_modelId);
        var second = await _owner.CreateAssetAsync(_modelId);
        var third = await _owner.CreateAssetAsync(_modelId, status: ReferenceDefaults.Pending);
        var ada = await _owner.CreatePersonAsync("Ada Lovelace", "ada@bulk.example");
        var list = await (await _owner.GetAsync("/assets")).TextAsync();

        using var selected = await _owner.SubmitFormAsync("/assets/bulk?handler=Select", Form(("Ids", first.Id), ("Ids", second.Id)), tokenFrom: "/assets");
        var selection = await selected.TextAsync();
        (string, object)[] checkOut =
        [
            ("Ids", first.Id), ("Ids", second.Id), ($"Versions[{first.Id}]", first.Version), ($"Versions[{second.Id}]", second.Version),
            ("Operation", "checkout"), ("CheckOut.PersonId", ada.Id),
        ];
        using var review = await _owner.SubmitFormAsync("/assets/bulk?handler=Review", Form(checkOut), tokenFrom: "/assets");
        var reviewed = await review.TextAsync();
        using var applied = await _owner.SubmitFormAsync("/assets/bulk?handler=Apply", Form(checkOut), tokenFrom: "/assets");
        var done = await applied.TextAsync();
        using var refused = await _owner.SubmitFormAsync("/assets/bulk?handler=Apply", Form(("Ids", first.Id), ("Ids", third.Id), ("Operation", "checkout"), ("CheckOut.LocationId", Guid.Empty), ("CheckOut.Note", "typed note")), tokenFrom: "/assets");
        var refusedHtml = await refused.TextAsync();
        using var archived = await _owner.SubmitFormAsync("/assets/bulk?handler=Apply", Form(("Ids", first.Id), ("Ids", third.Id), ("Operation", "update"), ("Update.StatusLabelId", ReferenceDefaults.Archived)), tokenFrom: "/assets");

        Assert.Contains($"name=\"Ids\" value=\"{first.Id}\" form=\"bulk-selection\"", list, StringComparison.Ordinal);
        Assert.Contains("name=\"AllOnPage\"", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, selected.StatusCode);
        Assert.Contains($"name=\"Versions[{first.Id}]\" value=\"1\"", selection, StringComparison.Ordinal);
        Assert.DoesNotContain(third.Tag, selection, StringComparison.Ordinal);
        Assert.Contains("Check out 2 assets to Ada Lovelace.", reviewed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Contains("Done: 2 assets changed", done, StringComparison.Ordinal);
        Assert.Equal("Ada Lovelace", (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{second.Id}")).AssignedTo?.Name);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("no location with that id", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"typed note\"", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, archived.StatusCode);
        Assert.Equal("Archived", (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{third.Id}")).StatusName);
    }

    [Fact]
    public async Task BulkPage_ShowsEveryFailingAsset_AndKeepsTheSelectionAndValues()
    {
        var ready = await _owner.CreateAssetAsync(_modelId);
        var pending = await _owner.CreateAssetAsync(_modelId, status: ReferenceDefaults.Pending);
        var ada = await _owner.CreatePersonAsync("Ada Lovelace", "ada@bulk.example");

        using var refused = await _owner.SubmitFormAsync(
            "/assets/bulk?handler=Apply",
            Form(("Ids", ready.Id), ("Ids", pending.Id), ("Operation", "checkout"), ("CheckOut.PersonId", ada.Id), ("CheckOut.ExpectedCheckIn", "2099-02-01")),
            tokenFrom: "/assets");
        var html = await refused.TextAsync();

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("1 of the 2 selected assets cannot take this change", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/assets/{pending.Id}\">{pending.Tag}</a></td>", html, StringComparison.Ordinal);
        Assert.Contains("which is not deployable", html, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{ada.Id}\" selected=\"selected\">", html, StringComparison.Ordinal);
        Assert.Contains("value=\"2099-02-01\"", html, StringComparison.Ordinal);
        Assert.Contains($"name=\"Ids\" value=\"{ready.Id}\"", html, StringComparison.Ordinal);
        Assert.Null((await _owner.ReadAsync<AssetView>($"/api/v1/assets/{ready.Id}")).AssignedTo);
    }

    /// <summary>A form with repeated names (Ids=…&amp;Ids=…), which the session's dictionary form cannot hold, is posted through its own content.</summary>
    private static List<KeyValuePair<string, string>> Form(params (string Name, object Value)[] fields) =>
        [.. fields.Select(f => new KeyValuePair<string, string>(f.Name, Convert.ToString(f.Value, System.Globalization.CultureInfo.InvariantCulture)!))];

    private static async Task<BulkProblem> ProblemAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var errors = json.RootElement.TryGetProperty("errors", out var list)
            ? list.EnumerateArray().Select(e => (e.GetProperty("id").GetGuid(), e.GetProperty("tag").GetString(), e.GetProperty("reason").GetString()!)).ToList()
            : [];
        return new BulkProblem(json.RootElement.GetProperty("detail").GetString()!, errors);
    }

    private async Task<BrowserSession> InviteAsync(string email, string role)
    {
        using var invited = await _owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest(email, role));
        var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>(TestContext.Current.CancellationToken);
        return await BrowserSession.AcceptInvitationAsync(_host, issued!.Link, Password);
    }

    private async Task<string> CountAsync(string sql) => Assert.Single(await QueryAsync(sql));

    private Task<List<string>> QueryAsync(string sql) => TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, sql);

    private sealed record BulkProblem(string Detail, List<(Guid Id, string? Tag, string Reason)> Errors);
}
