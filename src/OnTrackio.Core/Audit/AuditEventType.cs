namespace OnTrackio.Audit;

/// <summary>What happened, numbered in blocks by area so that new events never renumber old ones.</summary>
public enum AuditEventType
{
    // 1000: identity and sessions.
    SignedIn = 1000,
    SignInFailed = 1001,
    LockedOut = 1002,
    SignedOut = 1003,
    InvitationAccepted = 1004,
    SessionsRevoked = 1005,
    InvitationIssued = 1006,
    RolesChanged = 1007,
    PasswordChanged = 1008,
    PasswordReset = 1009,
}
