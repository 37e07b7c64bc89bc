namespace OnTrackio.Tests.Infrastructure;

public static class InvitationLink
{
    /// <summary>The one invitation link in what a command printed.</summary>
    public static string In(string printed) =>
        printed.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Single(word => word.Contains("/invitations/", StringComparison.Ordinal));

    /// <summary>The token at the end of an invitation link.</summary>
    public static string TokenOf(string link) => link[(link.LastIndexOf('/') + 1)..];
}
