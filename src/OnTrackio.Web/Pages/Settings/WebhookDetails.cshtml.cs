using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;
using OnTrackio.Webhooks;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>
/// One endpoint: its settings, its secret's rotation, and its delivery log (newest first, a page at a time), with
/// each delivery's attempts and a button to send it again. The id is looked up in this host's workspace database
/// only, so another workspace's endpoint is not found.
/// </summary>
[Authorize(Policy = Permissions.WebhooksManage)]
public sealed class WebhookDetailsModel(WebhookQueries queries) : PageModel
{
    private const int PageSize = 25;

    public WebhookView Webhook { get; private set; } = null!;

    public WebhookForm Form { get; private set; } = new();

    public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    public string? Error { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    /// <summary>Set only in the answer to a rotation: the new secret, shown once.</summary>
    public string? NewSecret { get; private set; }

    public WebhookDeliveriesPage Deliveries { get; private set; } = new([], null);

    /// <summary>The delivery opened from the log (<c>?delivery=</c>), with its attempts.</summary>
    public WebhookDeliveryDetails? Opened { get; private set; }

    public async Task OnGetAsync(Guid id, long? before, long? delivery, CancellationToken cancellationToken)
    {
        await LoadAsync(id, before, delivery, cancellationToken);
        Form = WebhookForm.From(Webhook);
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, WebhookForm form, [FromServices] UpdateWebhook update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            await update.ExecuteAsync(id, form.ToInput(), cancellationToken);
        }
        catch (OperationRefusedException refused)
        {
            await LoadAsync(id, null, null, cancellationToken);
            Form = form;
            Error = refused.Message;
            FieldErrors = refused.FieldErrors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Notice = "Saved.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRotateAsync(Guid id, [FromServices] RotateWebhookSecret rotate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotate);
        NewSecret = (await rotate.ExecuteAsync(id, cancellationToken)).Secret;
        await LoadAsync(id, null, null, cancellationToken);
        Form = WebhookForm.From(Webhook);

        // Answered here rather than redirected: only this answer carries the new secret.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, [FromServices] DeleteWebhook delete, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delete);
        await delete.ExecuteAsync(id, cancellationToken);
        return Redirect("/settings/webhooks");
    }

    public async Task<IActionResult> OnPostRedeliverAsync(Guid id, long deliveryId, [FromServices] RedeliverWebhook redeliver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redeliver);
        try
        {
            await redeliver.ExecuteAsync(id, deliveryId, cancellationToken);
        }
        catch (ConflictException conflict)
        {
            await LoadAsync(id, null, deliveryId, cancellationToken);
            Form = WebhookForm.From(Webhook);
            Error = conflict.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        Notice = "Queued to be sent again now; its attempts show below in a moment.";
        return RedirectToPage(new { id, delivery = deliveryId });
    }

    private async Task LoadAsync(Guid id, long? before, long? delivery, CancellationToken cancellationToken)
    {
        Webhook = await queries.GetAsync(id, cancellationToken);
        Deliveries = await queries.DeliveriesAsync(id, before, PageSize, cancellationToken);
        Opened = delivery is { } opened ? await queries.DeliveryAsync(id, opened, cancellationToken) : null;
    }
}
