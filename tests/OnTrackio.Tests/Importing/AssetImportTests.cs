using System.Net;
using System.Net.Http.Json;
using System.Text;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.Importing;
using OnTrackio.Invitations;
using OnTrackio.Provisioning;
using OnTrackio.Register;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web.Endpoints;

namespace OnTrackio.Tests.Importing;

/// <summary>Importing assets through the API: the dry run, the all-or-nothing commit, upserts, files as spreadsheets write them.</summary>
public sealed class AssetImportTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private const string Header = "tag,serial,name,model,status,location,supplier,purchase_date,cost,currency,warranty_end,notes";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;
    private Guid _modelId;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("imp");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, Password);
        _modelId = (await _owner.CreateModelAsync()).Id;
        var berlin = await _owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "Berlin" });
        await _owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "Floor 1", ParentId = berlin.Id });
        var paris = await _owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "Paris" });
        await _owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "Floor 1", ParentId = paris.Id });
        await _owner.CreateReferenceAsync("suppliers", new ReferenceInput { Name = "Acme" });
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task DryRun_CountsWhatWouldChange_AndRejectsRowsByLineWithEveryReason()
    {
        await _owner.CreateAssetAsync(_modelId, tag: "LAP-1");
        var csv = Header + "\n" +
            "LAP-1,,Laptop,ThinkPad T14,Ready to deploy,,,2026-01-15,1299.50,EUR,,\n" +
            "LAP-2,SN-2,New laptop,thinkpad t14,Pending,Berlin / Floor 1,Acme,2026-02-01,999,usd,2029-02-01,\"two\nlines\"\n" +
            ",SN-X,No tag,Nonexistent,Broken,Nowhere,,2026-13-01,abc,XYZ,,\n" +
            "LAP-2,,Again,ThinkPad T14,Pending,,,,,,,\n" +
            "LAP-3,,,ThinkPad T14,,Floor 1,,,,,,\n" +
            "LAP-4,too,many,ThinkPad T14,Pending,,,,,,,,extra\n" +
            "\n" +
            "LAP-5,,Fine,ThinkPad T14,In repair,Paris/Floor 1,,,12.5,eur,,\n";

        var job = await _owner.DryRunAsync(_host, "assets", csv);

        Assert.Equal(ImportStatus.Checked, job.Status);
        Assert.Equal(7, job.TotalRows);
        Assert.Equal(2, job.CreateCount);
        Assert.Equal(0, job.UpdateCount);
        Assert.Equal(1, job.UnchangedCount);
        Assert.Equal(4, job.RejectCount);
        Assert.False(job.CanCommit);
        // Line numbers are the file's: LAP-2's notes span lines 3 and 4, so the next record starts on line 5.
        Assert.Equal([5, 6, 7, 8], job.Errors.Select(e => e.Line));
        var noTag = job.Errors.Single(e => e.Line == 5);
        Assert.Equal("SN-X", noTag.Key);
        Assert.Contains(noTag.Reasons, r => r.StartsWith("There is no model named 'Nonexistent'", StringComparison.Ordinal));
        Assert.Contains(noTag.Reasons, r => r.StartsWith("There is no location named 'Nowhere'", StringComparison.Ordinal));
        Assert.Contains("Purchase date '2026-13-01' is not a date: write it as yyyy-mm-dd (for example 2026-03-31).", noTag.Reasons);
        Assert.Contains("Cost 'abc' is not an amount: write digits with a point for decimals (for example 1299.50).", noTag.Reasons);
        Assert.Contains("Currency 'XYZ' is not an ISO 4217 currency code (for example EUR, USD, GBP).", noTag.Reasons);
        Assert.Equal("Asset tag 'LAP-2' is also on line 3.", job.Reasons(6));
        Assert.Contains("Status is required.", job.Reasons(7), StringComparison.Ordinal);
        Assert.Contains("More than one location is named 'Floor 1'; write its path", job.Reasons(7), StringComparison.Ordinal);
        Assert.StartsWith("This line has 13 fields but the header has 12", job.Reasons(8), StringComparison.Ordinal);
        Assert.Equal(["1"], await QueryAsync("SELECT count(*)::text FROM assets"));
    }

    [Fact]
    public async Task Commit_OfAFileWithARejectedRow_IsRefused_AndNothingIsWritten()
    {
        var job = await _owner.DryRunAsync(_host, "assets", Header + "\nOK-1,,Fine,ThinkPad T14,Pending,,,,,,,\nBAD-1,,Bad,ThinkPad T14,Pending,,,2026-02-30,,,,\n");

        using var commit = await _owner.SendAsync(HttpMethod.Post, $"/api/v1/imports/{job.Id}/commit");

        Assert.Equal(1, job.RejectCount);
        Assert.Equal(HttpStatusCode.Conflict, commit.StatusCode);
        Assert.Equal("application/problem+json", commit.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Rows of this file were rejected", await commit.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM assets"));
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM audit_events WHERE type LIKE 'Asset%'"));
    }

    [Fact]
    public async Task Commit_ThatFailsAfterSomeBatchesWereSaved_LeavesNothing()
    {
        // The database refuses a row of the third batch (of 5,000 rows): the first two are already saved inside the transaction.
        await ExecuteAsync(
            "CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.tag = 'BOOM' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$; " +
            "CREATE TRIGGER refuse_boom BEFORE INSERT ON assets FOR EACH ROW EXECUTE FUNCTION refuse_boom();");
        var csv = new StringBuilder("tag,name,model,status\n");
        for (var i = 1; i <= 10_500; i++)
        {
            csv.Append(i == 10_200 ? "BOOM" : $"T-{i:0000}").Append(",Laptop ").Append(i).Append(",ThinkPad T14,Ready to deploy\n");
        }

        var job = await _owner.DryRunAsync(_host, "assets", csv.ToString());
        var failed = await _owner.CommitAsync(job.Id);

        Assert.Equal(10_500, job.CreateCount);
        Assert.Equal(ImportStatus.Failed, failed.Status);
        Assert.Contains("nothing was imported", failed.Failure, StringComparison.Ordinal);
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM assets"));
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM asset_history"));
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM audit_events WHERE type IN ('AssetCreated', 'ImportCommitted')"));
        Assert.Equal(["1"], await QueryAsync("SELECT next_number::text FROM asset_tag_sequence"));
    }

    [Fact]
    public async Task Commit_UpsertsByTagAndBySerial_NumbersTaglessRows_AndAuditsEveryRowAsTheCommitter()
    {
        var byTag = await _owner.CreateAssetAsync(_modelId, tag: "LAP-1", serial: "SN-1");
        var bySerial = await _owner.CreateAssetAsync(_modelId, tag: "LAP-2", serial: "SN-2");
        var manager = await InviteAsync("manager@imp.example", WorkspaceRoles.AssetManager);
        var csv = "tag,serial,name,model,status,location\n" +
            "LAP-1,SN-1,Renamed by tag,ThinkPad T14,In repair,Berlin\n" +
            ",SN-2,Renamed by serial,ThinkPad T14,Ready to deploy,\n" +
            ",,Numbered,ThinkPad T14,Pending,\n" +
            "A-000002,,Typed tag,ThinkPad T14,Pending,\n" +
            ",SN-NEW,New by serial,ThinkPad T14,Pending,Berlin/Floor 1\n";

        // Uploaded by an asset manager, committed by the owner: the commit is the change, so its audit actor is the owner.
        var checkedJob = await manager.DryRunAsync(_host, "assets", Encoding.UTF8.GetBytes(csv));
        var done = await _owner.CommitAsync(checkedJob.Id);
        var owner = await _owner.ReadAsync<CurrentUser>("/api/v1/me");
        var first = await _owner.ReadAsync<AssetView>($"/api/v1/assets/{byTag.Id}");
        var second = await _owner.ReadAsync<AssetView>($"/api/v1/assets/{bySerial.Id}");
        var tags = await QueryAsync("SELECT tag || '=' || coalesce(name, '') FROM assets ORDER BY tag");

        Assert.Equal((3, 2, 0), (checkedJob.CreateCount, checkedJob.UpdateCount, checkedJob.RejectCount));
        Assert.Equal(ImportStatus.Committed, done.Status);
        Assert.Equal((3, 2), (done.CreateCount, done.UpdateCount));
        Assert.Equal(("Renamed by tag", "In repair", "Berlin", 2L), (first.Name, first.StatusName, first.LocationName, first.Version));
        Assert.Equal(("Renamed by serial", "LAP-2", 2L), (second.Name, second.Tag, second.Version));
        Assert.Equal(["A-000001=Numbered", "A-000002=Typed tag", "A-000003=New by serial", "LAP-1=Renamed by tag", "LAP-2=Renamed by serial"], tags);
        Assert.Equal(["4"], await QueryAsync("SELECT next_number::text FROM asset_tag_sequence"));
        Assert.Equal(
            [.. Enumerable.Repeat($"AssetCreated|{owner.Id}|{owner.Email}", 3), .. Enumerable.Repeat($"AssetUpdated|{owner.Id}|{owner.Email}", 2)],
            await QueryAsync("SELECT type || '|' || actor_id || '|' || actor_label FROM audit_events " +
                "WHERE (type = 'AssetCreated' AND subject NOT IN ('LAP-1', 'LAP-2')) OR type = 'AssetUpdated' ORDER BY 1"));
        Assert.Equal(
            ["[{\"field\":\"name\",\"before\":\"Laptop\",\"after\":\"Renamed by tag\"},{\"field\":\"statusLabelId\",\"before\":\"" + ReferenceDefaults.ReadyToDeploy + "\",\"after\":\"" + ReferenceDefaults.InRepair + "\"},{\"field\":\"locationId\",\"before\":null,\"after\":\"" + first.LocationId + "\"}]"],
            await QueryAsync($"SELECT changes FROM audit_events WHERE type = 'AssetUpdated' AND entity_id = '{byTag.Id}'"));
        Assert.Equal(
            [$"updated|{owner.Email}|imported from import.csv: name, statusLabelId, locationId"],
            await QueryAsync($"SELECT action || '|' || actor_label || '|' || detail FROM asset_history WHERE asset_id = '{byTag.Id}' AND action = 'updated'"));
        Assert.Equal(
            [$"{owner.Email}|import.csv (assets): 3 created, 2 updated"],
            await QueryAsync($"SELECT actor_label || '|' || subject FROM audit_events WHERE type = 'ImportCommitted' AND entity_id = '{checkedJob.Id}'"));
        Assert.Equal([string.Empty], await QueryAsync($"SELECT coalesce(encode(content, 'hex'), '') FROM import_jobs WHERE id = '{checkedJob.Id}'"));

        // The entries the import wrote in bulk are links of the one chain: the operator's verify walks it whole.
        Assert.Contains("valid", (await _platform.CliAsync("audit", "verify", "imp")).ShouldSucceed().Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Commit_ChecksAgain_AndRefusesRowsThatNoLongerPass()
    {
        var job = await _owner.DryRunAsync(_host, "assets", "tag,name,model,status\nNEW-1,New,ThinkPad T14,Pending\nNEW-2,New,ThinkPad T14,Pending\n");
        await _owner.CreateAssetAsync(_modelId, tag: "NEW-2");
        using (var deleted = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/assets/{(await _owner.ReadAsync<AssetView>("/api/v1/assets/by-tag/NEW-2")).Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var after = await _owner.CommitAsync(job.Id);

        Assert.Equal(ImportStatus.Checked, after.Status);
        Assert.Equal(1, after.RejectCount);
        Assert.StartsWith("Asset 'NEW-2' is deleted", after.Reasons(3), StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", after.Failure, StringComparison.Ordinal);
        Assert.False(after.CanCommit);
        Assert.Equal(["NEW-2"], await QueryAsync("SELECT tag FROM assets"));
    }

    [Fact]
    public async Task Files_AsSpreadsheetsWriteThem_Windows1252_Utf16_Semicolons_QuotedNewlines_AndFormulasAsText()
    {
        var windows = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
        var utf16 = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        await Commit(windows.GetBytes("tag,name,model,status\nW-1,Café crème,ThinkPad T14,Pending\n"));
        await Commit([.. utf16.GetPreamble(), .. utf16.GetBytes("tag\tname\tmodel\tstatus\r\nU-1\tŁódź office\tThinkPad T14\tPending\r\n")]);
        await Commit(Encoding.UTF8.GetBytes(
            "Asset Tag;Name;Model;Status;Notes\r\nS-1;=HYPERLINK(\"http://evil.example\");ThinkPad T14;Pending;\"first line\r\nsecond; still notes \"\"quoted\"\"\"\r\n;;;;\r\nS-2;+SUM(A1:A2);ThinkPad T14;Pending;@cmd\r\n"));

        Assert.Equal(
            ["S-1|=HYPERLINK(\"http://evil.example\")|first line\r\nsecond; still notes \"quoted\"", "S-2|+SUM(A1:A2)|@cmd", "U-1|Łódź office|", "W-1|Café crème|"],
            await QueryAsync("SELECT tag || '|' || name || '|' || coalesce(notes, '') FROM assets ORDER BY tag"));
        var jobs = await QueryAsync("SELECT encoding || ' ' || delimiter FROM import_jobs ORDER BY created_at");
        Assert.Equal(["windows-1252 ,", "utf-16le \t", "utf-8 ;"], jobs);

        async Task Commit(byte[] file)
        {
            var job = await _owner.DryRunAsync(_host, "assets", file);
            Assert.True(job.CanCommit, job.Failure ?? string.Join("; ", job.Errors.SelectMany(e => e.Reasons)));
            Assert.Equal(ImportStatus.Committed, (await _owner.CommitAsync(job.Id)).Status);
        }
    }

    [Fact]
    public async Task ChosenEncodingAndDelimiter_AreUsed()
    {
        var windows = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

        // Valid as UTF-8 too, but the person knows better: "Ã©" is how é in UTF-8 reads as Windows-1252.
        var job = await _owner.DryRunAsync(_host, "assets", Encoding.UTF8.GetBytes("tag|name|model|status\nE-1|é|ThinkPad T14|Pending\n"), encoding: "windows-1252", delimiter: "pipe");
        await _owner.CommitAsync(job.Id);

        Assert.Equal(("windows-1252", "|"), (job.Encoding, job.Delimiter));
        Assert.Equal([windows.GetString(Encoding.UTF8.GetBytes("é"))], await QueryAsync("SELECT name FROM assets"));
    }

    [Fact]
    public async Task UnknownColumn_RefusesTheFile_NamingTheColumnsItTakes()
    {
        var job = await _owner.DryRunAsync(_host, "assets", "tag,name,colour\nX-1,Laptop,red\n");

        Assert.Equal(ImportStatus.Failed, job.Status);
        Assert.StartsWith("Unknown column 'colour'. The columns of an asset file are: tag, serial, name, model, status, location, supplier, purchase_date, cost, currency, order_number, warranty_end, notes", job.Failure, StringComparison.Ordinal);
        Assert.False(job.CanCommit);
        Assert.Equal([string.Empty], await QueryAsync($"SELECT coalesce(encode(content, 'hex'), '') FROM import_jobs WHERE id = '{job.Id}'"));
    }

    [Fact]
    public async Task CustomFields_AreColumns_CheckedAgainstTheModelsSet_AndStoredAndAudited()
    {
        await ExecuteAsync(
            "INSERT INTO custom_fields (id, name, type, options, required) VALUES " +
            "('0193c000-0000-7000-8000-000000000001', 'RAM (GB)', 'Number', NULL, false), ('0193c000-0000-7000-8000-000000000002', 'MDM enrolled', 'Boolean', NULL, true), " +
            "('0193c000-0000-7000-8000-000000000003', 'Panel', 'List', E'IPS\\nOLED', false); " +
            "INSERT INTO custom_field_sets (id, name) VALUES ('0193c000-0000-7000-8000-000000000010', 'Laptop fields'); " +
            "INSERT INTO custom_field_set_members (set_id, field_id, position) VALUES " +
            "('0193c000-0000-7000-8000-000000000010', '0193c000-0000-7000-8000-000000000001', 1), ('0193c000-0000-7000-8000-000000000010', '0193c000-0000-7000-8000-000000000002', 2); " +
            $"UPDATE categories SET field_set_id = '0193c000-0000-7000-8000-000000000010' WHERE id = '{ReferenceDefaults.Laptops}';");
        await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "Dell U2720Q", CategoryId = new Guid("0193b000-0000-7000-8000-000000000203") });
        var header = "tag,model,status,ram (gb),MDM Enrolled,Panel\n";

        var rejected = await _owner.DryRunAsync(_host, "assets", header +
            "C-1,ThinkPad T14,Pending,16.0,yes,\n" +
            "C-2,ThinkPad T14,Pending,lots,,\n" +
            "C-3,Dell U2720Q,Pending,8,,IPS\n");
        var job = await _owner.DryRunAsync(_host, "assets", header + "C-1,ThinkPad T14,Pending,16.0,yes,\nC-3,Dell U2720Q,Pending,,,\n");
        await _owner.CommitAsync(job.Id);

        Assert.Equal(2, rejected.RejectCount);
        Assert.Equal(
            "RAM (GB) 'lots' is not a number: write digits with a point for decimals (for example 16 or 2.5). | MDM enrolled is required.",
            rejected.Reasons(3));
        Assert.Equal(
            "RAM (GB) is not a field of Dell U2720Q assets; leave it blank on this row. | Panel is not a field of Dell U2720Q assets; leave it blank on this row.",
            rejected.Reasons(4));
        Assert.Equal(["MDM enrolled=true", "RAM (GB)=16"], await QueryAsync(
            "SELECT f.name || '=' || v.value FROM asset_field_values v JOIN custom_fields f ON f.id = v.field_id ORDER BY f.name"));
        var created = Assert.Single(await QueryAsync("SELECT changes FROM audit_events WHERE type = 'AssetCreated' AND subject = 'C-1'"));
        Assert.Contains("{\"field\":\"custom.RAM (GB)\",\"before\":null,\"after\":\"16\"}", created, StringComparison.Ordinal);

        // An update that leaves the custom columns out leaves the values alone; one that clears a value removes it.
        await _owner.ImportAsync(_host, "assets", "tag,name\nC-1,Renamed\n");
        var cleared = await _owner.ImportAsync(_host, "assets", "tag,RAM (GB)\nC-1,\n");
        Assert.Equal(1, cleared.UpdateCount);
        Assert.Equal(["MDM enrolled=true"], await QueryAsync(
            "SELECT f.name || '=' || v.value FROM asset_field_values v JOIN custom_fields f ON f.id = v.field_id ORDER BY f.name"));
        Assert.Contains("{\"field\":\"custom.RAM (GB)\",\"before\":\"16\",\"after\":null}", Assert.Single(await QueryAsync(
            "SELECT changes FROM audit_events WHERE type = 'AssetUpdated' AND changes LIKE '%custom.RAM%'")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_OverTheLimit_IsA413Problem_AndCreatesNoJob()
    {
        var tooLarge = new byte[ImportLimits.MaxFileBytes + 1];
        "tag\n"u8.CopyTo(tooLarge);

        using var response = await _owner.UploadAsync(_host, "assets", tooLarge);
        var problem = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("larger than 50 MB", problem, StringComparison.Ordinal);
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM import_jobs"));
    }

    [Fact]
    public async Task Upload_BadRequests_AreProblems()
    {
        using var kind = await _owner.UploadAsync(_host, "licences", "tag\n"u8.ToArray());
        using var encoding = await _owner.UploadAsync(_host, "assets", "tag\n"u8.ToArray(), encoding: "ebcdic");
        using var empty = await _owner.UploadAsync(_host, "assets", []);
        using var json = await _owner.PostJsonAsync("/api/v1/imports", new { kind = "assets" });

        Assert.All([kind, encoding, empty], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Contains("multipart/form-data", await json.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains("assets, people or models", await kind.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains("Encoding 'ebcdic'", await encoding.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentCommits_OfOneJob_OneIsAccepted_TheOtherIs409()
    {
        var job = await _owner.DryRunAsync(_host, "assets", "tag,model,status\nR-1,ThinkPad T14,Pending\n");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            using var response = await _owner.SendAsync(HttpMethod.Post, $"/api/v1/imports/{job.Id}/commit");
            return response.StatusCode;
        }));
        await _owner.WaitAsync(job.Id);

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Conflict], statuses.Order());
        Assert.Equal(["1"], await QueryAsync("SELECT count(*)::text FROM assets"));
    }

    [Fact]
    public async Task Abandon_DeletesTheJob_ButACommittedOneStays()
    {
        var waiting = await _owner.DryRunAsync(_host, "assets", "tag,model,status\nR-1,ThinkPad T14,Pending\n");
        var committed = await _owner.ImportAsync(_host, "assets", "tag,model,status\nR-2,ThinkPad T14,Pending\n");

        using var abandoned = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/imports/{waiting.Id}");
        using var gone = await _owner.GetAsync($"/api/v1/imports/{waiting.Id}");
        using var kept = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/imports/{committed.Id}");

        Assert.Equal(HttpStatusCode.NoContent, abandoned.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, kept.StatusCode);
        Assert.Equal(["R-2"], await QueryAsync("SELECT tag FROM assets"));
    }

    [Fact]
    public async Task Template_IsTheHeaderRow_WithCustomFields_InUtf8WithAMark()
    {
        await ExecuteAsync("INSERT INTO custom_fields (id, name, type, required) VALUES ('0193c000-0000-7000-8000-000000000001', 'Côté, left', 'Text', false);");

        using var assets = await _owner.GetAsync("/api/v1/imports/templates/assets.csv");
        using var people = await _owner.GetAsync("/api/v1/imports/templates/people.csv");
        using var unknown = await _owner.GetAsync("/api/v1/imports/templates/licences.csv");
        var bytes = await assets.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, assets.StatusCode);
        Assert.Equal("text/csv", assets.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal(AssetCsvHeader + ",\"Côté, left\"\r\n", Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal("name,email,employee_number,department,manager_email,location,start_date,leave_date\r\n", (await people.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).TrimStart('\uFEFF'));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task Auditor_CannotImport_ButReadsNothingOfImportsEither()
    {
        var job = await _owner.DryRunAsync(_host, "assets", "tag,model,status\nR-1,ThinkPad T14,Pending\n");
        var auditor = await InviteAsync("auditor@imp.example", WorkspaceRoles.Auditor);

        using var upload = await auditor.UploadAsync(_host, "assets", "tag\nX\n"u8.ToArray());
        using var read = await auditor.GetAsync($"/api/v1/imports/{job.Id}");
        using var commit = await auditor.SendAsync(HttpMethod.Post, $"/api/v1/imports/{job.Id}/commit");
        using var page = await auditor.GetAsync("/imports");

        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, commit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM assets"));
    }

    private static string AssetCsvHeader => string.Join(",", AssetRows.Columns.Select(c => c.Name));

    private async Task<BrowserSession> InviteAsync(string email, string role)
    {
        using var invited = await _owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest(email, role));
        var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>(TestContext.Current.CancellationToken);
        return await BrowserSession.AcceptInvitationAsync(_host, issued!.Link, Password);
    }

    private Task ExecuteAsync(string sql) => TestCluster.A.ExecuteAsync(_workspace.DatabaseName, sql);

    private Task<List<string>> QueryAsync(string sql) => TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, sql);
}
