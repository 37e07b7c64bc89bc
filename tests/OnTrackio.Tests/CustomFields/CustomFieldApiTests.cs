using System.Net;
using System.Net.Http.Json;
using OnTrackio.Assets;
using OnTrackio.CustomFields;
using OnTrackio.Provisioning;
using OnTrackio.Register;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.CustomFields;

/// <summary>Custom fields and sets through the API, and the custom values of assets: checked, stored, shown, exported, audited.</summary>
public sealed class CustomFieldApiTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private static readonly Guid Phones = new("0193b000-0000-7000-8000-000000000204");
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("fields");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, Password);
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task CreateField_BadInput_IsOneProblemWithEveryReason_AndNothingIsWritten()
    {
        using var refused = await _owner.PostJsonAsync("/api/v1/custom-fields", new CustomFieldInput
        {
            Name = new string('x', 101),
            Type = CustomFieldType.List,
            Options = ["Red", "red", "Blue\u0007"],
            HelpText = new string('h', 501),
        });
        using var optionsOnNumber = await _owner.PostJsonAsync("/api/v1/custom-fields", new CustomFieldInput { Name = "RAM", Type = CustomFieldType.Number, Options = ["8"] });
        using var noType = await _owner.PostJsonAsync("/api/v1/custom-fields", new { name = "Typeless" });
        using var emptyList = await _owner.PostJsonAsync("/api/v1/custom-fields", new CustomFieldInput { Name = "Colour", Type = CustomFieldType.List });
        var problem = await refused.ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("Name is longer than 100 characters.", problem, StringComparison.Ordinal);
        Assert.Contains("Option 'Red' is listed more than once.", problem, StringComparison.Ordinal);
        Assert.Contains("contains a line break or control character", problem, StringComparison.Ordinal);
        Assert.Contains("Help text is longer than 500 characters.", problem, StringComparison.Ordinal);
        Assert.Contains("Only a list field has options; a Number field does not.", await optionsOnNumber.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("A field needs a type", await noType.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("A list field needs at least one option.", await emptyList.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM custom_fields"));
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM audit_events WHERE type LIKE 'CustomField%'"));
    }

    [Fact]
    public async Task FieldsAndSets_AreCreatedListedChangedAndDeleted_EachAudited()
    {
        var ram = await _owner.CreateFieldAsync("RAM (GB)", CustomFieldType.Number, required: true, help: "As the vendor states it");
        var colour = await _owner.CreateFieldAsync("Colour", CustomFieldType.List, options: ["Silver", "Black"]);
        var set = await _owner.CreateSetAsync("Laptop fields", colour.Id, ram.Id);
        using var duplicate = await _owner.PostJsonAsync("/api/v1/custom-fields", new CustomFieldInput { Name = "RAM (GB)", Type = CustomFieldType.Text });
        using var twice = await _owner.PostJsonAsync("/api/v1/custom-field-sets", new CustomFieldSetInput { Name = "Twice", FieldIds = [ram.Id, ram.Id] });

        using var reordered = await _owner.PutJsonAsync($"/api/v1/custom-field-sets/{set.Id}", new CustomFieldSetInput { Name = "Laptops", FieldIds = [ram.Id, colour.Id] });
        using var renamed = await _owner.PutJsonAsync($"/api/v1/custom-fields/{colour.Id}", new CustomFieldInput { Name = "Finish", Type = CustomFieldType.List, Options = ["Silver", "Black", "Gold"] });
        var fields = await _owner.ReadAsync<List<CustomFieldView>>("/api/v1/custom-fields");
        var sets = await _owner.ReadAsync<List<CustomFieldSetView>>("/api/v1/custom-field-sets");
        using var setGone = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/custom-field-sets/{set.Id}");
        using var fieldGone = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/custom-fields/{ram.Id}");

        Assert.Contains("There is already a custom field named", await duplicate.ProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("A field is listed more than once in the set.", await twice.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal(["Colour", "RAM (GB)"], set.Fields.Select(f => f.Name));
        Assert.Equal(HttpStatusCode.OK, reordered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(["Finish", "RAM (GB)"], fields.Select(f => f.Name));
        Assert.Equal(["Silver", "Black", "Gold"], fields[0].Options);
        Assert.Equal("As the vendor states it", fields[1].HelpText);
        Assert.True(fields[1].Required);
        Assert.Equal(["RAM (GB)", "Finish"], Assert.Single(sets).Fields.Select(f => f.Name));
        Assert.Equal(HttpStatusCode.NoContent, setGone.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, fieldGone.StatusCode);
        Assert.Equal(
            ["CustomFieldCreated", "CustomFieldCreated", "CustomFieldSetCreated", "CustomFieldSetUpdated", "CustomFieldUpdated", "CustomFieldSetDeleted", "CustomFieldDeleted"],
            await QueryAsync("SELECT type FROM audit_events WHERE type LIKE 'CustomField%' ORDER BY id"));
        Assert.Equal(
            ["[{\"field\":\"name\",\"before\":\"Laptop fields\",\"after\":\"Laptops\"},{\"field\":\"fields\",\"before\":\"Colour, RAM (GB)\",\"after\":\"RAM (GB), Colour\"}]"],
            await QueryAsync("SELECT changes FROM audit_events WHERE type = 'CustomFieldSetUpdated'"));
    }

    [Fact]
    public async Task AssetValues_AreCheckedByType_WithEveryReasonInOneProblem_AndNothingIsWritten()
    {
        var (modelId, fields) = await LaptopSetupAsync();

        using var refused = await _owner.PostJsonAsync("/api/v1/assets", new AssetInput
        {
            ModelId = modelId,
            StatusLabelId = ReferenceDefaults.ReadyToDeploy,
            PurchaseDate = "2026-13-01",
            CustomFields = new()
            {
                [fields.Ram.Id] = "lots",
                [fields.Leased.Id] = "31/12/2027",
                [fields.Colour.Id] = "Green",
                [fields.Mdm.Id] = "maybe",
            },
        });
        var problem = await refused.ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("Purchase date '2026-13-01' is not a date", problem, StringComparison.Ordinal);
        Assert.Contains("RAM (GB) 'lots' is not a number", problem, StringComparison.Ordinal);
        Assert.Contains("Leased until '31/12/2027' is not a date", problem, StringComparison.Ordinal);
        Assert.Contains("Colour 'Green' is not one of its choices: Silver, Black", problem, StringComparison.Ordinal);
        Assert.Contains("MDM enrolled 'maybe' is not yes or no", problem, StringComparison.Ordinal);
        Assert.Contains("Asset owner is required.", problem, StringComparison.Ordinal);
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM assets"));
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM asset_field_values"));
    }

    [Fact]
    public async Task AssetValues_AreStoredCanonically_ShownInSetOrder_Exported_AndAuditedByName()
    {
        var (modelId, fields) = await LaptopSetupAsync();

        // JSON numbers and booleans are taken as their text; "1,024" is not a number but "1024.0" is.
        using var created = await _owner.PostJsonAsync("/api/v1/assets", new
        {
            tag = "CF-1",
            modelId,
            statusLabelId = ReferenceDefaults.ReadyToDeploy,
            customFields = new Dictionary<string, object?>
            {
                [fields.Ram.Id.ToString()] = 16.0,
                [fields.Mdm.Id.ToString()] = true,
                [fields.Colour.Id.ToString()] = "black",
                [fields.Leased.Id.ToString()] = "2027-12-31",
                [fields.Owner.Id.ToString()] = "Finance",
            },
        });
        var asset = (await created.Content.ReadFromJsonAsync<AssetView>(TestContext.Current.CancellationToken))!;
        var edit = AssetInput.From(asset);
        edit.CustomFields![fields.Ram.Id] = "32";
        edit.CustomFields[fields.Leased.Id] = null;
        var updated = await _owner.PutAssetAsync(asset, edit);
        var csv = await (await _owner.GetAsync("/api/v1/assets/export.csv")).TextAsync();
        var details = await (await _owner.GetAsync($"/assets/{asset.Id}")).TextAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(
            [("Asset owner", "Finance"), ("RAM (GB)", "16"), ("Colour", "Black"), ("Leased until", "2027-12-31"), ("MDM enrolled", "true")],
            asset.CustomFields.Select(c => (c.Name, c.Value)));
        Assert.Equal(CustomFieldType.Number, asset.CustomFields[1].Type);
        Assert.Equal([("Asset owner", "Finance"), ("RAM (GB)", "32"), ("Colour", "Black"), ("MDM enrolled", "true")], updated.CustomFields.Select(c => (c.Name, c.Value)));
        Assert.Equal(2, updated.Version);
        var createdAudit = Assert.Single(await QueryAsync($"SELECT changes FROM audit_events WHERE type = 'AssetCreated' AND entity_id = '{asset.Id}'"));
        Assert.Contains("{\"field\":\"custom.RAM (GB)\",\"before\":null,\"after\":\"16\"}", createdAudit, StringComparison.Ordinal);
        Assert.Contains("{\"field\":\"custom.MDM enrolled\",\"before\":null,\"after\":\"true\"}", createdAudit, StringComparison.Ordinal);
        Assert.Equal(
            ["[{\"field\":\"custom.RAM (GB)\",\"before\":\"16\",\"after\":\"32\"},{\"field\":\"custom.Leased until\",\"before\":\"2027-12-31\",\"after\":null}]"],
            await QueryAsync($"SELECT changes FROM audit_events WHERE type = 'AssetUpdated' AND entity_id = '{asset.Id}'"));
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(AssetCsv.Header + ",custom.Asset owner,custom.Colour,custom.MDM enrolled,custom.RAM (GB)", lines[0]);
        Assert.EndsWith(",Finance,Black,true,32", lines[1], StringComparison.Ordinal);
        Assert.Contains("<dt>RAM (GB)</dt><dd>32</dd>", details, StringComparison.Ordinal);
        Assert.Contains("<dt>MDM enrolled</dt><dd>Yes</dd>", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_WithoutCustomFields_KeepsTheStoredValues_ButStillAsksForRequiredOnes()
    {
        var (modelId, fields) = await LaptopSetupAsync();
        var asset = await _owner.PostAssetAsync(new AssetInput { ModelId = modelId, CustomFields = new() { [fields.Owner.Id] = "IT", [fields.Ram.Id] = "8" } });
        var rename = AssetInput.From(asset);
        rename.CustomFields = null;
        rename.Name = "Renamed";

        var renamed = await _owner.PutAssetAsync(asset, rename);
        await _owner.PutJsonAsync($"/api/v1/custom-fields/{fields.Mdm.Id}", new CustomFieldInput { Name = "MDM enrolled", Type = CustomFieldType.Boolean, Required = true });
        using var refused = await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", rename, ("If-Match", renamed.ETag));

        Assert.Equal("Renamed", renamed.Name);
        Assert.Equal([("Asset owner", "IT"), ("RAM (GB)", "8")], renamed.CustomFields.Select(c => (c.Name, c.Value)));
        Assert.Contains("MDM enrolled is required.", await refused.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSet_ComesFromTheModel_ElseFromItsCategory_AndAValueOutsideItIsRefused()
    {
        var (laptopModel, fields) = await LaptopSetupAsync();
        var imei = await _owner.CreateFieldAsync("IMEI", CustomFieldType.Text, required: true);
        var phoneSet = await _owner.CreateSetAsync("Phone fields", imei.Id);
        using (var category = await _owner.PutJsonAsync($"/api/v1/categories/{Phones}", new ReferenceInput { Name = "Phones", FieldSetId = phoneSet.Id }))
        {
            Assert.Equal(HttpStatusCode.OK, category.StatusCode);
        }

        var phoneModel = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "Pixel 9", CategoryId = Phones });
        var ownSet = await _owner.CreateSetAsync("Rugged phone fields", fields.Colour.Id);
        var ruggedModel = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "Rugged 2", CategoryId = Phones, FieldSetId = ownSet.Id });

        var phone = await _owner.PostAssetAsync(new AssetInput { ModelId = phoneModel.Id, CustomFields = new() { [imei.Id] = "356938035643809" } });
        using var missing = await _owner.PostJsonAsync("/api/v1/assets", new AssetInput { ModelId = phoneModel.Id, StatusLabelId = ReferenceDefaults.ReadyToDeploy });
        var rugged = await _owner.PostAssetAsync(new AssetInput { ModelId = ruggedModel.Id, CustomFields = new() { [fields.Colour.Id] = "Silver" } });
        using var outside = await _owner.PostJsonAsync("/api/v1/assets", new AssetInput
        {
            ModelId = laptopModel,
            StatusLabelId = ReferenceDefaults.ReadyToDeploy,
            CustomFields = new() { [fields.Owner.Id] = "IT", [fields.Ram.Id] = "8", [imei.Id] = "123", [Guid.CreateVersion7()] = "x" },
        });
        using var unknownSet = await _owner.PostJsonAsync("/api/v1/models", new ReferenceInput { Name = "Ghost", CategoryId = Phones, FieldSetId = Guid.CreateVersion7() });
        using var setOnLocation = await _owner.PostJsonAsync("/api/v1/locations", new ReferenceInput { Name = "HQ", FieldSetId = phoneSet.Id });
        using var setInUse = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/custom-field-sets/{phoneSet.Id}");

        Assert.Equal([("IMEI", "356938035643809")], phone.CustomFields.Select(c => (c.Name, c.Value)));
        Assert.Contains("IMEI is required.", await missing.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal([("Colour", "Silver")], rugged.CustomFields.Select(c => (c.Name, c.Value)));
        var problem = await outside.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'IMEI' is not one of the custom fields of this asset's model", problem, StringComparison.Ordinal);
        Assert.Contains("This workspace has no custom field with id", problem, StringComparison.Ordinal);
        Assert.Contains("no custom field set with that id", await unknownSet.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("Only a model or a category chooses a custom field set", await setOnLocation.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("is still chosen by 1 category", await setInUse.ProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(phoneSet.Id, (await _owner.ReadAsync<List<ReferenceView>>("/api/v1/categories")).Single(c => c.Id == Phones).FieldSetId);
    }

    [Fact]
    public async Task AModelChange_KeepsValuesOutsideTheNewSet_AndABlankValueClearsOne()
    {
        var (laptopModel, fields) = await LaptopSetupAsync();
        var desktopSet = await _owner.CreateSetAsync("Desktop fields", fields.Ram.Id);
        var desktop = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "OptiPlex", CategoryId = ReferenceDefaults.Laptops, FieldSetId = desktopSet.Id });
        var asset = await _owner.PostAssetAsync(new AssetInput { ModelId = laptopModel, CustomFields = new() { [fields.Owner.Id] = "IT", [fields.Ram.Id] = "8" } });
        var move = AssetInput.From(asset);
        move.ModelId = desktop.Id;

        var moved = await _owner.PutAssetAsync(asset, move);
        var roundTrip = await _owner.PutAssetAsync(moved, AssetInput.From(moved));
        var clear = AssetInput.From(moved);
        clear.CustomFields![fields.Owner.Id] = "";
        var cleared = await _owner.PutAssetAsync(moved, clear);

        Assert.Equal([("RAM (GB)", "8"), ("Asset owner", "IT")], moved.CustomFields.Select(c => (c.Name, c.Value)));
        Assert.Equal(moved.Version, roundTrip.Version);
        Assert.Equal([("RAM (GB)", "8")], cleared.CustomFields.Select(c => (c.Name, c.Value)));
    }

    [Fact]
    public async Task FieldChanges_ThatWouldStrandValues_AreRefused_AndDeletingValuesNeedsSayingSo()
    {
        var (modelId, fields) = await LaptopSetupAsync();
        await _owner.PostAssetAsync(new AssetInput { ModelId = modelId, CustomFields = new() { [fields.Owner.Id] = "IT", [fields.Ram.Id] = "8", [fields.Colour.Id] = "Black" } });
        var unused = await _owner.CreateFieldAsync("Unused", CustomFieldType.Text);

        using var retype = await _owner.PutJsonAsync($"/api/v1/custom-fields/{fields.Ram.Id}", new CustomFieldInput { Name = "RAM (GB)", Type = CustomFieldType.Text });
        using var retypeUnused = await _owner.PutJsonAsync($"/api/v1/custom-fields/{unused.Id}", new CustomFieldInput { Name = "Unused", Type = CustomFieldType.Number });
        using var dropBlack = await _owner.PutJsonAsync($"/api/v1/custom-fields/{fields.Colour.Id}", new CustomFieldInput { Name = "Colour", Type = CustomFieldType.List, Options = ["Silver", "Graphite"] });
        using var dropSilver = await _owner.PutJsonAsync($"/api/v1/custom-fields/{fields.Colour.Id}", new CustomFieldInput { Name = "Colour", Type = CustomFieldType.List, Options = ["Black", "Graphite"] });
        using var deleteRefused = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/custom-fields/{fields.Ram.Id}");
        using var deleted = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/custom-fields/{fields.Ram.Id}?deleteValues=true");

        Assert.Contains("'RAM (GB)' holds values on 1 asset, so its type cannot change from Number to Text", await retype.ProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, retypeUnused.StatusCode);
        Assert.Contains("Option 'Black' of 'Colour' is held by 1 asset", await dropBlack.ProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, dropSilver.StatusCode);
        Assert.Contains("Delete it with its values (deleteValues=true)", await deleteRefused.ProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(["0"], await QueryAsync($"SELECT count(*)::text FROM asset_field_values WHERE field_id = '{fields.Ram.Id}'"));
        Assert.Equal(["0"], await QueryAsync($"SELECT count(*)::text FROM custom_field_set_members WHERE field_id = '{fields.Ram.Id}'"));
        Assert.Contains("{\"field\":\"assetValues\",\"before\":\"1\",\"after\":null}", Assert.Single(await QueryAsync("SELECT changes FROM audit_events WHERE type = 'CustomFieldDeleted'")), StringComparison.Ordinal);
        Assert.Equal(["0"], await QueryAsync($"SELECT count(*)::text FROM custom_fields WHERE id = '{fields.Ram.Id}'"));
        Assert.Equal(["Number"], await QueryAsync($"SELECT type FROM custom_fields WHERE id = '{unused.Id}'"));
        Assert.Equal(["Black\nGraphite"], await QueryAsync($"SELECT options FROM custom_fields WHERE id = '{fields.Colour.Id}'"));
    }

    [Fact]
    public async Task AnotherWorkspacesFields_AreUnreachable_AndItsValuesNeverShow()
    {
        var (modelId, fields) = await LaptopSetupAsync();
        await _owner.PostAssetAsync(new AssetInput { Tag = "A-SECRET", ModelId = modelId, CustomFields = new() { [fields.Owner.Id] = "Top secret owner", [fields.Ram.Id] = "64" } });
        var set = (await _owner.ReadAsync<List<CustomFieldSetView>>("/api/v1/custom-field-sets")).Single();
        var other = await _platform.CreateWorkspaceAsync("cf-other");
        var stranger = await BrowserSession.AcceptInvitationAsync(_host, other.InvitationLink, Password);
        var strangerModel = await stranger.CreateModelAsync();
        await stranger.PostAssetAsync(new AssetInput { Tag = "B-1", ModelId = strangerModel.Id });

        using var read = await stranger.GetAsync($"/api/v1/custom-fields/{fields.Owner.Id}");
        using var update = await stranger.PutJsonAsync($"/api/v1/custom-fields/{fields.Owner.Id}", new CustomFieldInput { Name = "Mine", Type = CustomFieldType.Text });
        using var delete = await stranger.SendAsync(HttpMethod.Delete, $"/api/v1/custom-fields/{fields.Owner.Id}?deleteValues=true");
        using var readSet = await stranger.GetAsync($"/api/v1/custom-field-sets/{set.Id}");
        using var useSet = await stranger.PostJsonAsync("/api/v1/models", new ReferenceInput { Name = "Borrowed", CategoryId = ReferenceDefaults.Laptops, FieldSetId = set.Id });
        using var setOfTheirs = await stranger.PostJsonAsync("/api/v1/custom-field-sets", new CustomFieldSetInput { Name = "Theirs", FieldIds = [fields.Owner.Id] });
        using var value = await stranger.PostJsonAsync("/api/v1/assets", new AssetInput
        {
            ModelId = strangerModel.Id,
            StatusLabelId = ReferenceDefaults.ReadyToDeploy,
            CustomFields = new() { [fields.Owner.Id] = "x" },
        });
        using var filter = await stranger.GetAsync($"/api/v1/assets?cf.{fields.Owner.Id}=x");
        var list = await stranger.ReadAsync<AssetPage>("/api/v1/assets");
        var csv = await (await stranger.GetAsync("/api/v1/assets/export.csv")).TextAsync();
        var settings = await (await stranger.GetAsync("/settings/custom-fields")).TextAsync();

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, readSet.StatusCode);
        Assert.Contains("no custom field set with that id", await useSet.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains($"no custom field with id {fields.Owner.Id}", await setOfTheirs.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains($"no custom field with id {fields.Owner.Id}", await value.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains($"no custom field with id {fields.Owner.Id}", await filter.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Empty(await stranger.ReadAsync<List<CustomFieldView>>("/api/v1/custom-fields"));
        Assert.Empty(Assert.Single(list.Items).CustomFields);
        Assert.Equal(AssetCsv.Header, csv.Split("\r\n")[0]);
        Assert.DoesNotContain("Top secret owner", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Asset owner", settings, StringComparison.Ordinal);
        Assert.Equal("Top secret owner", (await _owner.ReadAsync<AssetView>("/api/v1/assets/by-tag/A-SECRET")).CustomFields[0].Value);
    }

    private sealed record LaptopFields(CustomFieldView Owner, CustomFieldView Ram, CustomFieldView Colour, CustomFieldView Leased, CustomFieldView Mdm);

    /// <summary>A laptop model whose own set has one field of every type, two of them required, in a deliberate order.</summary>
    private async Task<(Guid ModelId, LaptopFields Fields)> LaptopSetupAsync()
    {
        var fields = new LaptopFields(
            await _owner.CreateFieldAsync("Asset owner", CustomFieldType.Text, required: true),
            await _owner.CreateFieldAsync("RAM (GB)", CustomFieldType.Number, required: true),
            await _owner.CreateFieldAsync("Colour", CustomFieldType.List, options: ["Silver", "Black"]),
            await _owner.CreateFieldAsync("Leased until", CustomFieldType.Date),
            await _owner.CreateFieldAsync("MDM enrolled", CustomFieldType.Boolean));
        var set = await _owner.CreateSetAsync("Laptop fields", fields.Owner.Id, fields.Ram.Id, fields.Colour.Id, fields.Leased.Id, fields.Mdm.Id);
        var model = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "ThinkPad X1", CategoryId = ReferenceDefaults.Laptops, FieldSetId = set.Id });
        return (model.Id, fields);
    }

    private Task<List<string>> QueryAsync(string sql) => TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, sql);
}
