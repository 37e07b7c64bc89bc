using System.Net;
using System.Net.Http.Json;
using OnTrackio.Assets;
using OnTrackio.CustomFields;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.CustomFields;

/// <summary>The custom-field API calls the tests repeat, each asserting that it worked.</summary>
internal static class CustomFieldSteps
{
    public static async Task<CustomFieldView> CreateFieldAsync(
        this BrowserSession session, string name, CustomFieldType type, bool required = false, string[]? options = null, string? help = null)
    {
        using var response = await session.PostJsonAsync("/api/v1/custom-fields", new CustomFieldInput { Name = name, Type = type, Required = required, Options = options, HelpText = help });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/custom-fields: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<CustomFieldView>())!;
    }

    public static async Task<CustomFieldSetView> CreateSetAsync(this BrowserSession session, string name, params Guid[] fieldIds)
    {
        using var response = await session.PostJsonAsync("/api/v1/custom-field-sets", new CustomFieldSetInput { Name = name, FieldIds = fieldIds });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/custom-field-sets: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<CustomFieldSetView>())!;
    }

    /// <summary>Creates an asset from <paramref name="input"/> (status Ready to deploy unless given) and returns it.</summary>
    public static async Task<AssetView> PostAssetAsync(this BrowserSession session, AssetInput input)
    {
        input.StatusLabelId ??= Register.ReferenceDefaults.ReadyToDeploy;
        using var response = await session.PostJsonAsync("/api/v1/assets", input);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/assets: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<AssetView>())!;
    }

    public static async Task<AssetView> PutAssetAsync(this BrowserSession session, AssetView asset, AssetInput input)
    {
        using var response = await session.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", input, ("If-Match", asset.ETag));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT /api/v1/assets/{asset.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<AssetView>())!;
    }

    /// <summary>The body of a refused request, asserting it is an RFC 7807 problem with <paramref name="status"/>.</summary>
    public static async Task<string> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var body = await response.TextAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", mediaType);
        return body;
    }
}
