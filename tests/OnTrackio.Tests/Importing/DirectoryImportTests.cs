using System.Net;
using System.Text.RegularExpressions;
using OnTrackio.People;
using OnTrackio.Provisioning;
using OnTrackio.Register;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Importing;

/// <summary>Importing people and models; the import pages; and what one workspace's imports reach of another's: nothing.</summary>
public sealed partial class DirectoryImportTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("dir");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, Password);
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task People_UpsertByEmailOrEmployeeNumber_WithAManagerFurtherDownTheFile()
    {
        var ada = await _owner.CreatePersonAsync("Ada", "ada@dir.example");
        using (var numbered = await _owner.PostJsonAsync("/api/v1/people", new PersonInput { Name = "Bob", EmployeeNumber = "E-3" }))
        {
            Assert.Equal(HttpStatusCode.Created, numbered.StatusCode);
        }

        await _owner.CreateReferenceAsync("departments", new ReferenceInput { Name = "Engineering" });
        var csv = "Name,E-mail,Employee No,Dept,Manager,Start date\n" +
            "Ada Lovelace,ADA@dir.example,E-1,Engineering,grace@dir.example,2020-01-01\n" +
            "Bob Builder,,E-3,,,\n" +
            "Grace Hopper,grace@dir.example,E-2,Engineering,,2019-05-01\n";

        var job = await _owner.ImportAsync(_host, "people", csv);
        var people = (await _owner.ReadAsync<PersonPage>("/api/v1/people")).Items;
        var grace = people.Single(p => p.Email == "grace@dir.example");
        var updated = people.Single(p => p.Id == ada.Id);

        Assert.Equal((1, 2), (job.CreateCount, job.UpdateCount));
        Assert.Equal(("Ada Lovelace", "E-1", "Engineering", grace.Id, new DateOnly(2020, 1, 1)), (updated.Name, updated.EmployeeNumber, updated.DepartmentName, updated.ManagerId, updated.StartDate));
        Assert.Equal("Bob Builder", people.Single(p => p.EmployeeNumber == "E-3").Name);
        Assert.Equal(["PersonCreated", "PersonCreated", "PersonCreated", "PersonUpdated", "PersonUpdated"], await QueryAsync("SELECT type FROM audit_events WHERE entity_type = 'person' ORDER BY type"));
        Assert.Contains($"{{\"field\":\"managerId\",\"before\":null,\"after\":\"{grace.Id}\"}}",
            Assert.Single(await QueryAsync($"SELECT changes FROM audit_events WHERE type = 'PersonUpdated' AND entity_id = '{ada.Id}'")), StringComparison.Ordinal);
        (await _platform.CliAsync("audit", "verify", "dir")).ShouldSucceed();
    }

    [Fact]
    public async Task People_Rejected_ForEveryReasonAtOnce()
    {
        await _owner.CreatePersonAsync("Taken", "taken@dir.example");
        var csv = "name,email,employee_number,manager_email,start_date,leave_date\n" +
            ",not-an-email,,nobody@dir.example,2026-05-01,2026-04-01\n" +
            "Self,self@dir.example,,self@dir.example,,\n" +
            "Twice,twice@dir.example,N-1,,,\n" +
            "Again,TWICE@dir.example,N-2,,,\n";

        var job = await _owner.DryRunAsync(_host, "people", csv);

        Assert.Equal(3, job.RejectCount);
        Assert.Equal(
            "Name is required. | Email 'not-an-email' is not an email address. | Leave date is before the start date. | No person has the email 'nobody@dir.example', here or in the file, to be the manager.",
            job.Reasons(2));
        Assert.Equal("A person cannot be their own manager.", job.Reasons(3));
        Assert.Equal("Email 'twice@dir.example' is also on line 4.", job.Reasons(5));
    }

    [Fact]
    public async Task Models_UpsertByName_WithReferencesByName()
    {
        var existing = await _owner.CreateModelAsync("ThinkPad T14");
        await _owner.CreateReferenceAsync("manufacturers", new ReferenceInput { Name = "Lenovo" });
        var csv = "name,category,manufacturer,model_number,end_of_life_months\n" +
            "ThinkPad T14,Laptops,Lenovo,20W0,60\n" +
            "Dell U2720Q,Monitors,,U2720Q,72\n";

        var rejected = await _owner.DryRunAsync(_host, "models", "name,category,end_of_life_months\nBad,Nope,700\nNone,,12\n");
        var job = await _owner.ImportAsync(_host, "models", csv);
        var models = await _owner.ReadAsync<List<ReferenceView>>("/api/v1/models");

        Assert.Equal(
            "There is no category named 'Nope' in this workspace; add it first (nothing is created by an import but the rows themselves). | End of life (months) must be between 1 and 600.",
            rejected.Reasons(2));
        Assert.Equal("A model needs a category.", rejected.Reasons(3));
        Assert.Equal((1, 1), (job.CreateCount, job.UpdateCount));
        Assert.Equal(("20W0", 60), (models.Single(m => m.Id == existing.Id).ModelNumber, models.Single(m => m.Id == existing.Id).EndOfLifeMonths));
        Assert.Equal(new Guid("0193b000-0000-7000-8000-000000000203"), models.Single(m => m.Name == "Dell U2720Q").CategoryId);
        Assert.Equal(["ReferenceCreated", "ReferenceCreated", "ReferenceUpdated"], await QueryAsync("SELECT type FROM audit_events WHERE entity_type = 'model' ORDER BY type"));
    }

    [Fact]
    public async Task Pages_UploadShowTheDryRun_CommitAndList()
    {
        await _owner.CreateModelAsync("ThinkPad T14");
        var form = await (await _owner.GetAsync("/imports")).TextAsync();

        using var uploaded = await UploadThroughPageAsync(_owner, "assets", "tag,model,status\nP-1,ThinkPad T14,Pending\nP-2,ThinkPad T14,Nope\n"u8.ToArray());
        var jobPath = uploaded.Headers.Location!.OriginalString;
        var id = Guid.Parse(jobPath["/imports/".Length..]);
        var rejected = await _owner.WaitAsync(id);
        var rejectedPage = await (await _owner.GetAsync(jobPath)).TextAsync();

        using var fixedUpload = await UploadThroughPageAsync(_owner, "assets", "tag,model,status\nP-1,ThinkPad T14,Pending\n"u8.ToArray());
        var fixedPath = fixedUpload.Headers.Location!.OriginalString;
        await _owner.WaitAsync(Guid.Parse(fixedPath["/imports/".Length..]));
        var checkedPage = await (await _owner.GetAsync(fixedPath)).TextAsync();
        using var commit = await _owner.SubmitAsync(fixedPath + "?handler=Commit", BrowserSession.Form(), tokenFrom: fixedPath);
        await _owner.WaitAsync(Guid.Parse(fixedPath["/imports/".Length..]));
        var committedPage = await (await _owner.GetAsync(fixedPath)).TextAsync();
        var list = await (await _owner.GetAsync("/imports")).TextAsync();

        Assert.Contains("enctype=\"multipart/form-data\"", form, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/v1/imports/templates/assets.csv\"", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        Assert.Equal(1, rejected.RejectCount);
        Assert.Contains("<td>3</td>", rejectedPage, StringComparison.Ordinal);
        Assert.Contains("There is no status label named &#x27;Nope&#x27;", rejectedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("?handler=Commit", rejectedPage, StringComparison.Ordinal);
        Assert.Contains("Would be created</th><td>1</td>", checkedPage, StringComparison.Ordinal);
        Assert.Contains("?handler=Commit", checkedPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, commit.StatusCode);
        Assert.Contains("Created</th><td>1</td>", committedPage, StringComparison.Ordinal);
        Assert.Contains(">Committed<", list, StringComparison.Ordinal);
        Assert.Equal(["P-1"], await QueryAsync("SELECT tag FROM assets"));
    }

    [Fact]
    public async Task Page_RunningJob_ShowsAProgressBarThatFollowsTheApi()
    {
        // A job nobody is running (claimed by "another host" a moment ago) stays running for the page to show.
        await TestCluster.A.ExecuteAsync(_workspace.DatabaseName,
            "INSERT INTO import_jobs (id, kind, status, file_name, file_size, content, total_rows, processed_rows, create_count, update_count, reject_count, created_at, updated_at) " +
            "VALUES ('0193d000-0000-7000-8000-000000000001', 'Assets', 'Checking', 'big.csv', 10, '\\x00', 1000, 250, 0, 0, 0, now(), now())");

        var page = await (await _owner.GetAsync("/imports/0193d000-0000-7000-8000-000000000001")).TextAsync();
        using var commit = await _owner.SendAsync(HttpMethod.Post, "/api/v1/imports/0193d000-0000-7000-8000-000000000001/commit");

        Assert.Contains("<progress max=\"1000\" value=\"250\">", page, StringComparison.Ordinal);
        Assert.Contains("data-url=\"/api/v1/imports/0193d000-0000-7000-8000-000000000001\"", page, StringComparison.Ordinal);
        Assert.Contains("/imports.js", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, commit.StatusCode);
    }

    [Fact]
    public async Task CrossWorkspace_AnImportOfA_IsNotFoundAtB_AndWritesNothingThere()
    {
        var other = await _platform.CreateWorkspaceAsync("other");
        var stranger = await BrowserSession.AcceptInvitationAsync(_host, other.InvitationLink, Password);
        await _owner.CreateModelAsync("ThinkPad T14");
        await stranger.CreateModelAsync("ThinkPad T14");
        var job = await _owner.DryRunAsync(_host, "assets", "tag,model,status\nX-1,ThinkPad T14,Pending\n");

        using var read = await stranger.GetAsync($"/api/v1/imports/{job.Id}");
        using var commit = await stranger.SendAsync(HttpMethod.Post, $"/api/v1/imports/{job.Id}/commit");
        using var abandon = await stranger.SendAsync(HttpMethod.Delete, $"/api/v1/imports/{job.Id}");
        using var page = await stranger.GetAsync($"/imports/{job.Id}");
        using var pageCommit = await stranger.SubmitAsync($"/imports/{job.Id}?handler=Commit", BrowserSession.Form(), tokenFrom: "/imports");
        var list = await (await stranger.GetAsync("/imports")).TextAsync();
        await _owner.CommitAsync(job.Id);

        Assert.All([read, commit, abandon, page, pageCommit], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.DoesNotContain(job.Id.ToString(), list, StringComparison.Ordinal);
        Assert.Equal(["X-1"], await QueryAsync("SELECT tag FROM assets"));
        Assert.Equal(["0"], await TestCluster.A.QueryAsync<string>(other.DatabaseName, "SELECT count(*)::text FROM assets"));
        Assert.Equal(["0"], await TestCluster.A.QueryAsync<string>(other.DatabaseName, "SELECT count(*)::text FROM import_jobs"));
        Assert.Equal(["0"], await TestCluster.A.QueryAsync<string>(other.DatabaseName, "SELECT count(*)::text FROM audit_events WHERE type = 'AssetCreated'"));
    }

    /// <summary>Posts the upload form as a browser does: multipart, with the page's anti-forgery token.</summary>
    private async Task<HttpResponseMessage> UploadThroughPageAsync(BrowserSession session, string kind, byte[] file)
    {
        var html = await (await session.GetAsync("/imports")).TextAsync();
        var token = WebUtility.HtmlDecode(AntiforgeryToken().Match(html).Groups[1].Value);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(kind), "Kind" },
            { new ByteArrayContent(file), "Upload", "page.csv" },
        };
        return await _host.SendAsync(HttpMethod.Post, session.Hostname, "/imports", request =>
        {
            request.Headers.Add("Cookie", string.Join("; ", session.Cookies.Select(c => $"{c.Key}={c.Value}")));
            request.Content = form;
        });
    }

    private Task<List<string>> QueryAsync(string sql) => TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, sql);

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
