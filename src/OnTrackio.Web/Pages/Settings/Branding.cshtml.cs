using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Documents;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>The workspace's logo and accent colour, shown in the layout and in its emails; changed by settings managers.</summary>
[Authorize(Policy = Permissions.SettingsManage)]
[IgnoreAntiforgeryToken]
[DisableFormValueModelBinding]
public sealed class BrandingModel(BrandingQueries branding) : PageModel
{
    public BrandingView Current { get; private set; } = new(null, null);

    public string? AccentColour { get; private set; }

    public string? ColourError { get; private set; }

    public string? LogoError { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Current = await branding.CurrentAsync(cancellationToken);
        AccentColour = Current.AccentColour;
    }

    // The colour form is small and read whole, so it gets the framework's usual anti-forgery check, made by hand since
    // the page as a whole opts out (its logo form streams).
    public async Task<IActionResult> OnPostColourAsync([FromServices] ChangeAccentColour change, [FromServices] IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return BadRequest();
        }

        string? accentColour = Request.HasFormContentType ? (await Request.ReadFormAsync(cancellationToken))["accentColour"].ToString() : null;

        try
        {
            await change.ExecuteAsync(accentColour, cancellationToken);
        }
        catch (OperationRefusedException ex)
        {
            await OnGetAsync(cancellationToken);
            AccentColour = accentColour;
            ColourError = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Notice = "Accent colour saved.";
        return Redirect("/settings/branding");
    }

    // The logo streams like any document upload; its token is checked before the file is read.
    public async Task<IActionResult> OnPostLogoAsync([FromServices] SetLogo setLogo, CancellationToken cancellationToken)
    {
        try
        {
            await StreamedUpload.ReadAsync(HttpContext, checkAntiforgery: true, async (_, fileName, content) =>
            {
                await setLogo.ExecuteAsync(fileName, content, cancellationToken);
                return true;
            }, cancellationToken);
        }
        catch (AntiforgeryValidationException)
        {
            return BadRequest();
        }
        catch (UploadRefusedException ex)
        {
            await OnGetAsync(cancellationToken);
            LogoError = ex.Message;
            Response.StatusCode = ex.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        Notice = "Logo saved.";
        return Redirect("/settings/branding");
    }
}
