using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using OnTrackio.Importing;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Importing;

/// <summary>The import API calls the tests repeat: upload, wait for the background run, commit.</summary>
internal static class ImportSteps
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Posts <paramref name="content"/> as the multipart upload a browser or a script sends.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(
        this BrowserSession session, TestWebHost host, string kind, byte[] content, string fileName = "import.csv", string? encoding = null, string? delimiter = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(kind), "kind");
        if (encoding is not null)
        {
            form.Add(new StringContent(encoding), "encoding");
        }

        if (delimiter is not null)
        {
            form.Add(new StringContent(delimiter), "delimiter");
        }

        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        return await host.SendAsync(HttpMethod.Post, session.Hostname, "/api/v1/imports", request =>
        {
            AddCookies(session, request);
            request.Content = form;
        });
    }

    /// <summary>Uploads and waits for the dry run's result.</summary>
    public static async Task<ImportJobView> DryRunAsync(this BrowserSession session, TestWebHost host, string kind, string csv, string fileName = "import.csv") =>
        await session.DryRunAsync(host, kind, Encoding.UTF8.GetBytes(csv), fileName);

    public static async Task<ImportJobView> DryRunAsync(
        this BrowserSession session, TestWebHost host, string kind, byte[] content, string fileName = "import.csv", string? encoding = null, string? delimiter = null)
    {
        using var response = await session.UploadAsync(host, kind, content, fileName, encoding, delimiter);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"upload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var job = (await response.Content.ReadFromJsonAsync<ImportJobView>())!;
        Assert.Equal($"/api/v1/imports/{job.Id}", response.Headers.Location?.OriginalString);
        return await session.WaitAsync(job.Id);
    }

    /// <summary>Commits a checked job and waits for the commit to finish.</summary>
    public static async Task<ImportJobView> CommitAsync(this BrowserSession session, Guid id)
    {
        using var response = await session.SendAsync(HttpMethod.Post, $"/api/v1/imports/{id}/commit");
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"commit: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await session.WaitAsync(id);
    }

    /// <summary>Dry run, then commit, asserting that the file passed.</summary>
    public static async Task<ImportJobView> ImportAsync(this BrowserSession session, TestWebHost host, string kind, string csv)
    {
        var checkedJob = await session.DryRunAsync(host, kind, csv);
        Assert.True(checkedJob.CanCommit, $"dry run: {checkedJob.Failure} {string.Join("; ", checkedJob.Errors.Select(e => $"line {e.Line}: {string.Join(" ", e.Reasons)}"))}");
        var committed = await session.CommitAsync(checkedJob.Id);
        Assert.True(committed.Status == ImportStatus.Committed, $"commit: {committed.Status} {committed.Failure}");
        return committed;
    }

    /// <summary>Polls the job as its page does until it is no longer running.</summary>
    public static async Task<ImportJobView> WaitAsync(this BrowserSession session, Guid id)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var response = await session.GetAsync($"/api/v1/imports/{id}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET import: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var job = (await response.Content.ReadFromJsonAsync<ImportJobView>())!;
            if (!job.IsRunning)
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"import {id} still {job.Status} after {Patience.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    public static string Reasons(this ImportJobView job, int line) =>
        string.Join(" | ", job.Errors.Single(e => e.Line == line).Reasons);

    private static void AddCookies(BrowserSession session, HttpRequestMessage request)
    {
        if (session.Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", session.Cookies.Select(c => $"{c.Key}={c.Value}")));
        }
    }
}
