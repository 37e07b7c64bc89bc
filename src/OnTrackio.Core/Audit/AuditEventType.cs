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
    EmailChanged = 1010,
    ProfileChanged = 1011,
    InvitationRevoked = 1012,
    UserLocked = 1013,
    UserUnlocked = 1014,

    // 1100: second factors and passkeys.
    MfaChallengePassed = 1100,
    MfaChallengeFailed = 1101,
    TotpEnrolled = 1102,
    TotpRemoved = 1103,
    RecoveryCodesGenerated = 1104,
    RecoveryCodeUsed = 1105,
    PasskeyAdded = 1106,
    PasskeyRemoved = 1107,
    PasskeySignIn = 1108,
    Reauthenticated = 1109,
    MfaPolicyChanged = 1110,

    // 1200: single sign-on.
    SsoConfigurationChanged = 1200,
    SsoSignIn = 1201,
    SsoSignInRefused = 1202,
    SsoUserCreated = 1203,

    // 1300: the audit log itself.
    AuditRetentionChanged = 1300,
    AuditLogPurged = 1301,

    // 1400: API tokens.
    TokenCreated = 1400,
    TokenRevoked = 1401,
    TokenPolicyChanged = 1402,

    // 1500: webhooks.
    WebhookCreated = 1500,
    WebhookUpdated = 1501,
    WebhookDeleted = 1502,
    WebhookSecretRotated = 1503,
    WebhookDisabled = 1504,
    WebhookRedelivered = 1505,

    // 2000: the register.
    AssetCreated = 2000,
    AssetUpdated = 2001,
    AssetDeleted = 2002,
    AssetRestored = 2003,
    AssetCheckedOut = 2004,
    AssetCheckedIn = 2005,
    AssetHolderLeaving = 2006,
    PersonCreated = 2010,
    PersonUpdated = 2011,
    ReferenceCreated = 2020,
    ReferenceUpdated = 2021,
    ReferenceDeleted = 2022,
    CustomFieldCreated = 2030,
    CustomFieldUpdated = 2031,
    CustomFieldDeleted = 2032,
    CustomFieldSetCreated = 2033,
    CustomFieldSetUpdated = 2034,
    CustomFieldSetDeleted = 2035,
    ImportCommitted = 2036,

    // 2100: documents and branding.
    DocumentUploaded = 2100,
    DocumentReplaced = 2101,
    DocumentDeleted = 2102,
    DocumentRestored = 2103,
    DocumentVersionRestored = 2104,
    DocumentPurged = 2105,
    BrandingChanged = 2110,
}
