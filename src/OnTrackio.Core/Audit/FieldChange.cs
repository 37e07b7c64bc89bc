namespace OnTrackio.Audit;

/// <summary>One field's value before and after a change, as text; secrets are masked before they get here.</summary>
public sealed record FieldChange(string Field, string? Before, string? After)
{
    public const string Masked = "••••••";
}
