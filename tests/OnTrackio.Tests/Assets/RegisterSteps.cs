using System.Net;
using System.Net.Http.Json;
using OnTrackio.Assets;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Assets;

/// <summary>The register's API calls the tests repeat, each asserting that it worked, so a test reads as its scenario.</summary>
internal static class RegisterSteps
{
    public static async Task<ReferenceView> CreateReferenceAsync(this BrowserSession session, string segment, ReferenceInput input)
    {
        using var response = await session.PostJsonAsync($"/api/v1/{segment}", input);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/{segment}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ReferenceView>())!;
    }

    public static Task<ReferenceView> CreateModelAsync(this BrowserSession session, string name = "ThinkPad T14") =>
        session.CreateReferenceAsync("models", new ReferenceInput { Name = name, CategoryId = ReferenceDefaults.Laptops, EndOfLifeMonths = 48 });

    public static async Task<AssetView> CreateAssetAsync(this BrowserSession session, Guid modelId, string? tag = null, string? serial = null, Guid? status = null)
    {
        using var response = await session.PostJsonAsync("/api/v1/assets", new AssetInput
        {
            Tag = tag,
            Serial = serial,
            Name = "Laptop",
            ModelId = modelId,
            StatusLabelId = status ?? ReferenceDefaults.ReadyToDeploy,
            PurchaseDate = "2026-01-15",
            Cost = 1299.50m,
            Currency = "eur",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/assets: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<AssetView>())!;
    }

    public static async Task<PersonView> CreatePersonAsync(this BrowserSession session, string name, string email)
    {
        using var response = await session.PostJsonAsync("/api/v1/people", new PersonInput { Name = name, Email = email });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/people: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<PersonView>())!;
    }

    public static async Task<T> ReadAsync<T>(this BrowserSession session, string path)
    {
        using var response = await session.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public static AssetInput EditOf(AssetView asset) => AssetInput.From(asset);

    public static async Task<string> TextAsync(this HttpResponseMessage response)
    {
        using (response)
        {
            return await response.Content.ReadAsStringAsync();
        }
    }
}
