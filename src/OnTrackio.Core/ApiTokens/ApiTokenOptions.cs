using System.ComponentModel.DataAnnotations;

namespace OnTrackio.ApiTokens;

/// <summary>
/// <c>OnTrackio:ApiTokens</c>: how many requests a minute one token, and all the tokens of one workspace together, may
/// make (per web host: the limits are counted in each host's memory). Sessions are not counted.
/// </summary>
public sealed class ApiTokenOptions
{
    public const string Section = "OnTrackio:ApiTokens";

    [Range(1, int.MaxValue)]
    public int RequestsPerMinutePerToken { get; set; } = 600;

    [Range(1, int.MaxValue)]
    public int RequestsPerMinutePerWorkspace { get; set; } = 3000;
}
