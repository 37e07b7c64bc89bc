namespace OnTrackio.Identity.Mfa;

/// <summary>
/// Marks a page that a person whom the MFA policy covers may still use before enrolling: the enrolment itself and
/// what it needs (re-authentication, signing out). A page adding another second factor (a passkey) belongs here too.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowWithoutMfaEnrolmentAttribute : Attribute;
