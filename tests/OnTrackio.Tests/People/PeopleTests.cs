using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.Assets;
using OnTrackio.Databases;
using OnTrackio.People;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Tests.People;

/// <summary>The directory: keyset pages, the manager chain, leavers and what they hold, the pages, and this workspace only.</summary>
public sealed class PeopleTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;
    private Guid _modelId;

    private DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("people");
        _host = await _platform.StartWebHostAsync(time: _time);
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, Password);
        _modelId = (await _owner.CreateModelAsync()).Id;
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Directory_PagesByNameThenId_WithoutDuplicatesOrGaps_WhenPeopleAreAddedBetweenPages()
    {
        var people = new List<PersonView>();
        string[] names = ["Sam Smith", "Alex Ng", "Sam Smith", "Zoe Ray", "Bea Lund", "Sam Smith", "Sam Brown"];
        for (var i = 0; i < names.Length; i++)
        {
            people.Add(await _owner.CreatePersonAsync(names[i], $"p{i}@people.example"));
        }

        var seen = new List<PersonView>();
        var first = await _owner.ReadAsync<PersonPage>("/api/v1/people?limit=2");
        seen.AddRange(first.Items);
        people.Add(await _owner.CreatePersonAsync("Tom Hill", "tom@people.example"));
        await _owner.CreatePersonAsync("Aaron Abe", "aaron@people.example");
        for (var cursor = first.NextCursor; cursor is not null;)
        {
            var page = await _owner.ReadAsync<PersonPage>($"/api/v1/people?limit=2&cursor={cursor}");
            Assert.InRange(page.Items.Count, 1, 2);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }

        // PostgreSQL orders uuids by their bytes, which is the order of their canonical text.
        var expected = people.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Id.ToString(), StringComparer.Ordinal).Select(p => p.Id);
        Assert.Equal(expected, seen.Select(p => p.Id));
        Assert.Equal(4, (await _owner.ReadAsync<PersonPage>("/api/v1/people?q=sam")).Items.Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await _owner.GetAsync("/api/v1/people?cursor=bm90LWEtY3Vyc29y")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _owner.GetAsync("/api/v1/people?cursor=!!")).StatusCode);
    }

    [Fact]
    public async Task PeoplePage_ShowsAPageWithANextLink_AndSearches()
    {
        await _owner.CreatePersonAsync("Ada Lovelace", "ada@people.example");
        await _owner.CreatePersonAsync("Grace Hopper", "grace@people.example");
        await _owner.CreatePersonAsync("Alan Turing", "alan@people.example");

        var first = await (await _owner.GetAsync("/people?limit=2")).TextAsync();
        var next = System.Text.RegularExpressions.Regex.Match(first, "href=\"([^\"]+)\" rel=\"next\"").Groups[1].Value;
        var second = await (await _owner.GetAsync(System.Net.WebUtility.HtmlDecode(next))).TextAsync();
        var found = await (await _owner.GetAsync("/people?q=grace")).TextAsync();

        Assert.Contains("Ada Lovelace", first, StringComparison.Ordinal);
        Assert.Contains("Alan Turing", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Grace Hopper", first, StringComparison.Ordinal);
        Assert.Contains("Grace Hopper", second, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", second, StringComparison.Ordinal);
        Assert.Contains("Grace Hopper", found, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada Lovelace", found, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manager_CannotBeThemselves_NorAnyoneWhoReportsToThem()
    {
        var ada = await _owner.CreatePersonAsync("Ada Lovelace", "ada@people.example");
        var bob = await UpdateAsync(await _owner.CreatePersonAsync("Bob Byte", "bob@people.example"), p => p.ManagerId = ada.Id);
        var cy = await UpdateAsync(await _owner.CreatePersonAsync("Cy Cache", "cy@people.example"), p => p.ManagerId = bob.Id);

        using var self = await _owner.PutJsonAsync($"/api/v1/people/{ada.Id}", Edit(ada, p => p.ManagerId = ada.Id));
        using var loop = await _owner.PutJsonAsync($"/api/v1/people/{ada.Id}", Edit(ada, p => p.ManagerId = cy.Id));
        using var direct = await _owner.PutJsonAsync($"/api/v1/people/{ada.Id}", Edit(ada, p => p.ManagerId = bob.Id));
        using var fine = await _owner.PutJsonAsync($"/api/v1/people/{cy.Id}", Edit(cy, p => p.ManagerId = ada.Id));

        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Contains("cannot be their own manager", await self.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, loop.StatusCode);
        Assert.Contains("Cy Cache cannot be Ada Lovelace's manager", await loop.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains("(Cy Cache → Bob Byte → Ada Lovelace)", await loop.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, direct.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        Assert.Null((await _owner.ReadAsync<PersonView>($"/api/v1/people/{ada.Id}")).ManagerId);
        Assert.Equal("Ada Lovelace", (await _owner.ReadAsync<PersonView>($"/api/v1/people/{cy.Id}")).ManagerName);
    }

    [Fact]
    public async Task HeldItems_AreFlaggedFromThirtyDaysBeforeTheLeaveDate_ComputedFromTheClock()
    {
        var ada = await _owner.CreatePersonAsync("Ada Lovelace", "ada@people.example");
        var bob = await _owner.CreatePersonAsync("Bob Stays", "bob@people.example");
        var gone = await _owner.CreatePersonAsync("Gus Gone", "gus@people.example");
        var adas = await CheckOutAsync(ada.Id, "ADA-1");
        await CheckOutAsync(bob.Id, "BOB-1");
        var gus = await CheckOutAsync(gone.Id, "GUS-1");
        await UpdateAsync(ada, p => p.LeaveDate = Date(Today.AddDays(40)));
        await UpdateAsync(gone, p => p.LeaveDate = Date(Today.AddDays(-3)));

        var before = await _owner.ReadAsync<AssetPage>("/api/v1/assets?holderLeaving=true");
        var countBefore = await CountHeldByLeaversAsync();
        _time.Advance(TimeSpan.FromDays(15));
        var owner = await BrowserSession.SignInAsync(_host, "people.localhost", "owner@people.example", Password);
        var after = await owner.ReadAsync<AssetPage>("/api/v1/assets?holderLeaving=true");
        var list = await (await owner.GetAsync("/assets?holderLeaving=true")).TextAsync();
        var adaPage = await (await owner.GetAsync($"/people/{ada.Id}")).TextAsync();
        var directory = await (await owner.GetAsync("/people")).TextAsync();

        Assert.Equal(["GUS-1"], before.Items.Select(a => a.Tag));
        Assert.Equal(1, countBefore);
        Assert.Equal(["ADA-1", "GUS-1"], after.Items.Select(a => a.Tag));
        Assert.True(after.Items[0].AssignedTo!.Leaving);
        Assert.Equal(Today.AddDays(25), after.Items[0].AssignedTo!.LeaveDate);
        Assert.Equal(2, await CountHeldByLeaversAsync());
        Assert.True((await owner.ReadAsync<PersonView>($"/api/v1/people/{ada.Id}")).Leaving);
        Assert.False((await owner.ReadAsync<PersonView>($"/api/v1/people/{bob.Id}")).Leaving);
        Assert.False((await owner.ReadAsync<AssetPage>($"/api/v1/assets?person={bob.Id}")).Items[0].AssignedTo!.Leaving);
        Assert.Contains("class=\"badge leaver\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("BOB-1", list, StringComparison.Ordinal);
        Assert.Contains("Items to recover", adaPage, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/assets/{adas.Id}\">ADA-1</a>", adaPage, StringComparison.Ordinal);
        Assert.Contains($"leaves on {Date(Today.AddDays(25))}", adaPage, StringComparison.Ordinal);
        Assert.Matches($"<a href=\"/people/{ada.Id}\">Ada Lovelace</a>\\s*<span class=\"badge leaver\"", directory);
        Assert.Matches($"<a href=\"/people/{gone.Id}\">Gus Gone</a>\\s*<span class=\"badge leaver\"", directory);
        Assert.DoesNotMatch($"<a href=\"/people/{bob.Id}\">Bob Stays</a>\\s*<span class=\"badge leaver\"", directory);
        Assert.Contains("left on", await (await owner.GetAsync($"/people/{gone.Id}")).TextAsync(), StringComparison.Ordinal);
        Assert.Equal(gus.Id, Assert.Single((await owner.ReadAsync<AssetPage>($"/api/v1/people/{gone.Id}/assets")).Items).Id);
    }

    [Fact]
    public async Task SettingALeaveDate_NotesEveryHeldAsset_InTheSameTransaction_WithoutMakingItStale()
    {
        var ada = await _owner.CreatePersonAsync("Ada Lovelace", "ada@people.example");
        var laptop = await CheckOutAsync(ada.Id, "ADA-1");
        var phone = await CheckOutAsync(ada.Id, "ADA-2");
        var returned = await CheckOutAsync(ada.Id, "ADA-3");
        (await _owner.PostJsonAsync($"/api/v1/assets/{returned.Id}/checkin", new { })).Dispose();
        await TestCluster.A.ExecuteAsync(_workspace.DatabaseName, """
            CREATE FUNCTION refuse_2099() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.leave_date = DATE '2099-12-31' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_2099 BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION refuse_2099();
            """);
        var leave = Date(Today.AddDays(20));

        using var failed = await _owner.PutJsonAsync($"/api/v1/people/{ada.Id}", Edit(ada, p => p.LeaveDate = "2099-12-31"));
        var notesAfterFailure = await QueryAsync("SELECT count(*)::text FROM asset_history WHERE action = 'holder leaving'");
        await UpdateAsync(ada, p => p.LeaveDate = leave);
        var laptopHistory = await _owner.ReadAsync<List<AssetHistoryView>>($"/api/v1/assets/{laptop.Id}/history");
        await UpdateAsync(ada, p => p.LeaveDate = null);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(["0"], notesAfterFailure);
        Assert.Equal("holder leaving", laptopHistory[0].Action);
        Assert.Equal($"holder leaving on {leave} (Ada Lovelace)", laptopHistory[0].Detail);
        Assert.Equal("owner@people.example", laptopHistory[0].ActorLabel);
        var noted = await QueryAsync("SELECT entity_id FROM audit_events WHERE type = 'AssetHolderLeaving' ORDER BY id");
        Assert.Equal(4, noted.Count);
        Assert.Equal(new[] { laptop.Id.ToString(), phone.Id.ToString() }.Order(StringComparer.Ordinal), noted.Take(2).Order(StringComparer.Ordinal));
        Assert.Equal($"[{{\"field\":\"holderLeaveDate\",\"before\":null,\"after\":\"{leave}\"}}]", (await QueryAsync($"SELECT changes FROM audit_events WHERE type = 'AssetHolderLeaving' AND entity_id = '{laptop.Id}' ORDER BY id"))[0]);
        Assert.Empty(await QueryAsync($"SELECT id::text FROM asset_history WHERE asset_id = '{returned.Id}' AND action LIKE 'holder%'"));
        Assert.Equal(["holder staying", "holder leaving"], (await _owner.ReadAsync<List<AssetHistoryView>>($"/api/v1/assets/{phone.Id}/history")).Take(2).Select(h => h.Action));
        Assert.Equal(phone.Version, (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{phone.Id}")).Version);
    }

    [Fact]
    public async Task PersonPages_CreateAndEdit_ShowEachReasonBesideItsField_AndListWhatTheyHold()
    {
        var grace = await _owner.CreatePersonAsync("Grace Hopper", "grace@people.example");

        using var refused = await _owner.SubmitAsync("/people/new", BrowserSession.Form(
            ("Input.Name", " "), ("Input.Email", "not-an-email"), ("Input.StartDate", "2026-05-01"), ("Input.LeaveDate", "2026-04-01"), ("Input.EmployeeNumber", "E-7")));
        var refusedHtml = await refused.TextAsync();
        using var created = await _owner.SubmitAsync("/people/new", BrowserSession.Form(
            ("Input.Name", "Ada Lovelace"), ("Input.Email", "ada@people.example"), ("Input.ManagerId", grace.Id.ToString()), ("Input.StartDate", "2026-01-05")));
        var path = created.Headers.Location!.OriginalString;
        var adaId = Guid.Parse(path["/people/".Length..], CultureInfo.InvariantCulture);
        var laptop = await CheckOutAsync(adaId, "ADA-1");
        using var badEdit = await _owner.SubmitAsync(path, BrowserSession.Form(("Input.Name", "Ada Lovelace"), ("Input.LeaveDate", "2025-12-31"), ("Input.StartDate", "2026-01-05")));
        var badEditHtml = await badEdit.TextAsync();
        using var loopEdit = await _owner.SubmitAsync($"/people/{grace.Id}", BrowserSession.Form(("Input.Name", "Grace Hopper"), ("Input.ManagerId", adaId.ToString())));
        var loopHtml = await loopEdit.TextAsync();
        using var saved = await _owner.SubmitAsync(path, BrowserSession.Form(("Input.Name", "Ada King"), ("Input.ManagerId", grace.Id.ToString()), ("Input.StartDate", "2026-01-05")));
        var page = await (await _owner.GetAsync(path)).TextAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("aria-invalid=\"true\" aria-describedby=\"name-error\"", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("<p class=\"field-error\" id=\"name-error\">Name is required.</p>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("<p class=\"field-error\" id=\"email-error\">Email &#x27;not-an-email&#x27; is not an email address.</p>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("<p class=\"field-error\" id=\"leave-error\">Leave date is before the start date.</p>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"E-7\"", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badEdit.StatusCode);
        Assert.Contains("id=\"leave-error\">Leave date is before the start date.", badEditHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, loopEdit.StatusCode);
        Assert.Contains("id=\"manager-error\">Ada Lovelace cannot be Grace Hopper&#x27;s manager", loopHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("<h1>Ada King", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/people/{grace.Id}\">Grace Hopper</a>", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/assets/{laptop.Id}\">ADA-1</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Items to recover", page, StringComparison.Ordinal);
        Assert.Equal("2026-01-05", Date((await _owner.ReadAsync<PersonView>($"/api/v1/people/{adaId}")).StartDate!.Value));
    }

    [Fact]
    public async Task AnotherWorkspacesPerson_IsUnreachable_ThroughApiAndPages()
    {
        var other = await _platform.CreateWorkspaceAsync("people-other");
        var stranger = await BrowserSession.AcceptInvitationAsync(_host, other.InvitationLink, Password);
        var theirs = await stranger.CreatePersonAsync("Their Person", "their@people-other.example");
        await stranger.CreateAssetAsync((await stranger.CreateModelAsync()).Id, tag: "THEIRS-1");
        var mine = await _owner.CreatePersonAsync("My Person", "mine@people.example");
        var asset = await _owner.CreateAssetAsync(_modelId);

        Assert.Equal(HttpStatusCode.NotFound, (await _owner.GetAsync($"/api/v1/people/{theirs.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _owner.GetAsync($"/api/v1/people/{theirs.Id}/assets")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _owner.GetAsync($"/people/{theirs.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _owner.PutJsonAsync($"/api/v1/people/{theirs.Id}", new PersonInput { Name = "Hijacked" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _owner.SubmitAsync($"/people/{theirs.Id}", BrowserSession.Form(("Input.Name", "Hijacked")), tokenFrom: "/people/new")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _owner.PutJsonAsync($"/api/v1/people/{mine.Id}", new PersonInput { Name = "My Person", ManagerId = theirs.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _owner.PostJsonAsync($"/api/v1/assets/{asset.Id}/checkout", new CheckOutInput { PersonId = theirs.Id })).StatusCode);
        Assert.DoesNotContain(theirs.Id, (await _owner.ReadAsync<PersonPage>("/api/v1/people?limit=200")).Items.Select(p => p.Id));
        Assert.DoesNotContain("Their Person", await (await _owner.GetAsync("/people?q=their")).TextAsync(), StringComparison.Ordinal);
        Assert.Equal("Their Person", (await stranger.ReadAsync<PersonView>($"/api/v1/people/{theirs.Id}")).Name);
    }

    [Fact]
    public async Task EmbeddedEngine_PagesPeopleWithTheSameName()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        var workspace = await platform.CreateWorkspaceAsync("solo");
        await using var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, Password);
        var created = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await owner.CreatePersonAsync("Sam Smith", $"sam{i}@solo.example")).Id);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await owner.ReadAsync<PersonPage>($"/api/v1/people?limit=1{(cursor is null ? string.Empty : "&cursor=" + cursor)}");
            seen.AddRange(page.Items.Select(p => p.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(created.Order(), seen.Order());
        Assert.Equal(3, seen.Distinct().Count());
    }

    private async Task<AssetView> CheckOutAsync(Guid personId, string tag)
    {
        var asset = await _owner.CreateAssetAsync(_modelId, tag: tag);
        using var response = await _owner.PostJsonAsync($"/api/v1/assets/{asset.Id}/checkout", new CheckOutInput { PersonId = personId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AssetView>(TestContext.Current.CancellationToken))!;
    }

    private async Task<PersonView> UpdateAsync(PersonView person, Action<PersonInput> change)
    {
        using var response = await _owner.PutJsonAsync($"/api/v1/people/{person.Id}", Edit(person, change));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT person: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<PersonView>())!;
    }

    private static PersonInput Edit(PersonView person, Action<PersonInput> change)
    {
        var input = PersonInput.From(person);
        change(input);
        return input;
    }

    private async Task<int> CountHeldByLeaversAsync()
    {
        await using var catalog = _platform.Catalog();
        var row = await catalog.Workspaces.FindAsync([_workspace.Id], TestContext.Current.CancellationToken);
        var server = await catalog.DatabaseServers.FindAsync([row!.ServerId], TestContext.Current.CancellationToken);
        await using WorkspaceDbContext db = _platform.Engine.CreateWorkspaceContext(WorkspaceLocation.Of(row, server!));
        return await new LeaverQueries(db, _time).CountHeldByLeaversAsync(TestContext.Current.CancellationToken);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Task<List<string>> QueryAsync(string sql) => TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, sql);
}
