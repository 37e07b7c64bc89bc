using System.Net;
using System.Net.Http.Json;
using OnTrackio.Assets;
using OnTrackio.CustomFields;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Register;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.CustomFields;

/// <summary>The settings page for fields and sets, the reference page's set choice, and custom inputs on the asset forms.</summary>
public sealed class CustomFieldPageTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private BrowserSession _owner = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        var workspace = await _platform.CreateWorkspaceAsync("cfpages");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password);
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task SettingsPage_RefusesBesideTheForm_KeepsWhatWasTyped_ThenAddsEditsAndDeletes()
    {
        using var refused = await _owner.SubmitAsync("/settings/custom-fields?handler=CreateField", BrowserSession.Form(
            ("FieldInput.Name", "Colour"), ("FieldInput.Type", "List"), ("FieldInput.HelpText", "Paint")));
        var refusedHtml = await refused.TextAsync();
        using var created = await _owner.SubmitAsync("/settings/custom-fields?handler=CreateField", BrowserSession.Form(
            ("FieldInput.Name", "Colour"), ("FieldInput.Type", "List"), ("FieldInput.Options", "Silver\r\nBlack\r\n"), ("FieldInput.Required", "true")));
        var field = (await _owner.ReadAsync<List<CustomFieldView>>("/api/v1/custom-fields")).Single();
        var editForm = await (await _owner.GetAsync($"/settings/custom-fields?editField={field.Id}")).TextAsync();
        using var badEdit = await _owner.SubmitAsync($"/settings/custom-fields?handler=UpdateField&id={field.Id}", BrowserSession.Form(
            ("FieldInput.Name", ""), ("FieldInput.Type", "List"), ("FieldInput.Options", "Silver")), tokenFrom: "/settings/custom-fields");
        var badEditHtml = await badEdit.TextAsync();
        using var set = await _owner.SubmitAsync("/settings/custom-fields?handler=CreateSet", BrowserSession.Form(
            ("SetInput.Name", "Laptop fields"), ("SetInput.FieldIds", field.Id.ToString()), ($"SetInput.Positions[{field.Id}]", "1")));
        var sets = await _owner.ReadAsync<List<CustomFieldSetView>>("/api/v1/custom-field-sets");
        using var deleted = await _owner.SubmitAsync($"/settings/custom-fields?handler=DeleteField&id={field.Id}", BrowserSession.Form());
        var listed = await (await _owner.GetAsync("/settings/custom-fields")).TextAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Matches("<form [^>]*aria-describedby=\"error-new-field\"[^>]*>\\s*<p class=\"error\" role=\"alert\" id=\"error-new-field\">A list field needs at least one option.</p>", refusedHtml);
        Assert.Contains("value=\"Paint\"", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(["Silver", "Black"], field.Options);
        Assert.True(field.Required);
        Assert.Contains("Silver&#xA;Black</textarea>", editForm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badEdit.StatusCode);
        Assert.Contains($"id=\"error-{field.Id}\">Name is required.</p>", badEditHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal(["Colour"], Assert.Single(sets).Fields.Select(f => f.Name));
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Contains("Field deleted.", listed, StringComparison.Ordinal);
        Assert.Contains("<strong>Laptop fields</strong>: no fields", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsPage_ShowsAnAuditorTheFieldsWithoutForms_AndRefusesTheirPost()
    {
        await _owner.CreateFieldAsync("RAM (GB)", CustomFieldType.Number);
        using var invited = await _owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest("auditor@cfpages.example", WorkspaceRoles.Auditor));
        var auditor = await BrowserSession.AcceptInvitationAsync(_host, (await invited.Content.ReadFromJsonAsync<IssuedInvitation>(TestContext.Current.CancellationToken))!.Link, Password);

        var page = await (await auditor.GetAsync("/settings/custom-fields")).TextAsync();
        using var post = await auditor.SubmitAsync("/settings/custom-fields?handler=CreateField", BrowserSession.Form(("FieldInput.Name", "Sneaky"), ("FieldInput.Type", "Text")));

        Assert.Contains("<td>RAM (GB)</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=CreateField", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Single(await _owner.ReadAsync<List<CustomFieldView>>("/api/v1/custom-fields"));
    }

    [Fact]
    public async Task ReferencePage_ChoosesAModelsSet()
    {
        var ram = await _owner.CreateFieldAsync("RAM (GB)", CustomFieldType.Number);
        var set = await _owner.CreateSetAsync("Laptop fields", ram.Id);
        var model = await _owner.CreateModelAsync();

        using var chosen = await _owner.SubmitAsync($"/settings/reference?handler=FieldSet&kind=models&id={model.Id}", BrowserSession.Form(("fieldSetId", set.Id.ToString())));
        using var onALocation = await _owner.SubmitAsync(
            $"/settings/reference?handler=FieldSet&kind=status-labels&id={ReferenceDefaults.Pending}", BrowserSession.Form(("fieldSetId", set.Id.ToString())));
        var page = await (await _owner.GetAsync("/settings/reference")).TextAsync();

        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal(set.Id, (await _owner.ReadAsync<List<ReferenceView>>("/api/v1/models")).Single().FieldSetId);
        Assert.Equal(HttpStatusCode.BadRequest, onALocation.StatusCode);
        Assert.Contains($"<option value=\"{set.Id}\" selected=\"selected\">Laptop fields</option>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssetForms_ShowTheModelsFieldsByType_TakeTheirValues_AndRedisplayThemWithReasons()
    {
        var ram = await _owner.CreateFieldAsync("RAM (GB)", CustomFieldType.Number, required: true, help: "Installed memory");
        var colour = await _owner.CreateFieldAsync("Colour", CustomFieldType.List, options: ["Silver", "Black"]);
        var leased = await _owner.CreateFieldAsync("Leased until", CustomFieldType.Date);
        var mdm = await _owner.CreateFieldAsync("MDM enrolled", CustomFieldType.Boolean);
        var owner = await _owner.CreateFieldAsync("Asset owner", CustomFieldType.Text);
        var set = await _owner.CreateSetAsync("Laptop fields", ram.Id, colour.Id, leased.Id, mdm.Id, owner.Id);
        var model = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "X1", CategoryId = ReferenceDefaults.Laptops, FieldSetId = set.Id });
        var plain = await _owner.CreateModelAsync("Plain");
        Dictionary<string, string> Typed(params (string Name, string Value)[] custom) => BrowserSession.Form(
            [("Input.Name", "Desk laptop"), ("Input.ModelId", model.Id.ToString()), ("Input.StatusLabelId", ReferenceDefaults.ReadyToDeploy.ToString()),
             .. custom.Select(c => ($"Input.CustomFields[{c.Name}]", c.Value))]);

        var empty = await (await _owner.GetAsync("/assets/new")).TextAsync();
        using var fields = await _owner.SubmitAsync("/assets/new?handler=Fields", Typed(), tokenFrom: "/assets/new");
        var fieldsHtml = await fields.TextAsync();
        var refusedForm = Typed((ram.Id.ToString(), "lots"), (colour.Id.ToString(), "Black"), (mdm.Id.ToString(), "true"), (owner.Id.ToString(), "Finance"));
        using var refused = await _owner.SubmitAsync("/assets/new", refusedForm);
        var refusedHtml = await refused.TextAsync();
        using var created = await _owner.SubmitAsync("/assets/new", Typed(
            (ram.Id.ToString(), "16"), (colour.Id.ToString(), "Black"), (leased.Id.ToString(), "2027-12-31"), (mdm.Id.ToString(), "false"), (owner.Id.ToString(), "Finance")));
        var path = created.Headers.Location!.OriginalString;
        var asset = await _owner.ReadAsync<AssetView>("/api/v1/assets/" + path.Split('/')[^1]);
        var edit = await (await _owner.GetAsync(path + "/edit")).TextAsync();
        using var otherModel = await _owner.SubmitAsync(path + "/edit?handler=Fields", BrowserSession.Form(
            ("Version", "1"), ("Input.Tag", asset.Tag), ("Input.ModelId", plain.Id.ToString()), ("Input.StatusLabelId", ReferenceDefaults.ReadyToDeploy.ToString())), tokenFrom: path + "/edit");
        var otherModelHtml = await otherModel.TextAsync();

        Assert.DoesNotContain("Custom fields", empty, StringComparison.Ordinal);
        Assert.Contains("Show fields for this model", empty, StringComparison.Ordinal);
        Assert.Contains("src=\"/asset-fields.js", empty, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fields.StatusCode);
        Assert.Contains($"<label>RAM (GB) (required) <input type=\"number\" step=\"any\" name=\"Input.CustomFields[{ram.Id}]\" required=\"required\" aria-describedby=\"cf-hint-{ram.Id}\" /></label>", fieldsHtml, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"hint\" id=\"cf-hint-{ram.Id}\">Installed memory</p>", fieldsHtml, StringComparison.Ordinal);
        Assert.Contains($"<select name=\"Input.CustomFields[{colour.Id}]\">", fieldsHtml, StringComparison.Ordinal);
        Assert.Contains($"<input type=\"date\" name=\"Input.CustomFields[{leased.Id}]\" />", fieldsHtml, StringComparison.Ordinal);
        Assert.Contains($"<input type=\"checkbox\" name=\"Input.CustomFields[{mdm.Id}]\" value=\"true\" />", fieldsHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"Desk laptop\"", fieldsHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("RAM (GB) &#x27;lots&#x27; is not a number", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"lots\"", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Black\" selected=\"selected\">Black</option>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains($"name=\"Input.CustomFields[{mdm.Id}]\" value=\"true\" checked=\"checked\"", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(
            [("RAM (GB)", "16"), ("Colour", "Black"), ("Leased until", "2027-12-31"), ("MDM enrolled", "false"), ("Asset owner", "Finance")],
            asset.CustomFields.Select(c => (c.Name, c.Value)));
        Assert.Contains($"name=\"Input.CustomFields[{ram.Id}]\" value=\"16\"", edit, StringComparison.Ordinal);
        Assert.Contains($"name=\"Input.CustomFields[{leased.Id}]\" value=\"2027-12-31\"", edit, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherModel.StatusCode);
        Assert.DoesNotContain("Input.CustomFields[", otherModelHtml, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{plain.Id}\" selected=\"selected\">", otherModelHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssetsPage_OffersSortingAndCustomFieldFilters()
    {
        var mdm = await _owner.CreateFieldAsync("MDM enrolled", CustomFieldType.Boolean);
        var page = await (await _owner.GetAsync("/assets?sort=warrantyEnd&dir=desc")).TextAsync();

        Assert.Contains($"<select name=\"cf.{mdm.Id}\">", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"warrantyEnd\" selected=\"selected\">Warranty end</option>", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"desc\" selected=\"selected\">Descending</option>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/v1/assets/export.csv?sort=warrantyEnd&amp;dir=desc\"", page, StringComparison.Ordinal);
    }
}
