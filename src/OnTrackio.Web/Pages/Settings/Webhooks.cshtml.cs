using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;
using OnTrackio.Webhooks;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>An endpoint as the settings forms post it: every event, or the event types ticked.</summary>
public sealed class WebhookForm
{
    public string? Url { get; set; }

    public string? Description { get; set; }

    public bool AllEvents { get; set; } = true;

    public List<string> EventTypes { get; set; } = [];

    public bool Enabled { get; set; } = true;

    public WebhookInput ToInput() => new() { Url = Url, Description = Description, EventTypes = AllEvents ? null : EventTypes, Enabled = Enabled };

    public static WebhookForm From(WebhookView webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return new()
        {
            Url = webhook.Url,
            Description = webhook.Description,
            AllEvents = webhook.AllEvents,
            EventTypes = [.. webhook.EventTypes ?? []],
            Enabled = webhook.Enabled,
        };
    }
}

/// <summary>What the shared endpoint form shows: the values, the reasons by field, and its button.</summary>
public sealed record WebhookFormView(WebhookForm Form, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors, string Submit, string? Handler = null);

/// <summary>
/// The workspace's webhook endpoints and the form that adds one. The new endpoint's secret is shown in the answer to
/// that form, once: it is not kept anywhere it could be shown from again.
/// </summary>
[Authorize(Policy = Permissions.WebhooksManage)]
public sealed class WebhooksModel(WebhookQueries queries) : PageModel
{
    public IReadOnlyList<WebhookView> Webhooks { get; private set; } = [];

    public WebhookForm Form { get; private set; } = new();

    public string? Error { get; private set; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    public WebhookWithSecret? Created { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Webhooks = await queries.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(WebhookForm form, [FromServices] CreateWebhook create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(create);
        try
        {
            Created = await create.ExecuteAsync(form.ToInput(), cancellationToken);
        }
        catch (OperationRefusedException refused)
        {
            Form = form;
            Error = refused.Message;
            FieldErrors = refused.FieldErrors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        // Answered here rather than redirected: the secret must reach the admin, and only this answer has it.
        Response.Headers.CacheControl = "no-store";
        Webhooks = await queries.ListAsync(cancellationToken);
        return Page();
    }
}
