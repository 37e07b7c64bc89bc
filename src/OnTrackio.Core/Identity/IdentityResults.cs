using Microsoft.AspNetCore.Identity;

namespace OnTrackio.Identity;

internal static class IdentityResults
{
    /// <summary>Turns Identity's failure descriptions (password rules, duplicates) into a refusal a person can act on.</summary>
    public static void ThrowIfFailed(this IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new OperationRefusedException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
