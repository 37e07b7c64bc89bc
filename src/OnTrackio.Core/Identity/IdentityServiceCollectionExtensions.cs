using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using OnTrackio.Catalog;
using OnTrackio.Email;
using OnTrackio.Identity.Sso;
using OnTrackio.Encryption;
using OnTrackio.Identity.Passkeys;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Identity.Mfa;
using OnTrackio.Invitations;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>Number of PBKDF2-HMAC-SHA512 iterations; OWASP asks for at least 210,000 (the issue, 220,000).</summary>
    public const int PasswordHashIterations = 300_000;

    /// <summary>Accounts inside each workspace database: Identity over the workspace context, cookies bound to the workspace.</summary>
    public static IServiceCollection AddWorkspaceIdentity(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();

        // One key ring for every web host, in the catalog, each key encrypted with the master key.
        services.AddDataProtection().SetApplicationName("OnTrackio").PersistKeysToDbContext<CatalogDbContext>();
        services.AddOptions<KeyManagementOptions>().Configure<IMasterKey>((options, masterKey) => options.XmlEncryptor = new MasterKeyXmlEncryptor(masterKey));
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<WorkspaceUser>(options =>
            {
                // NIST 800-63B: length over composition rules.
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<WorkspaceRole>()
            .AddEntityFrameworkStores<WorkspaceDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddWorkspaceMfa();
        services.AddWorkspacePasskeys();

        // Reset links work once (the security stamp changes) and not for long.
        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = TimeSpan.FromHours(2));

        // Hashes below this count are upgraded by Identity at the next successful sign-in.
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = PasswordHashIterations);

        foreach (var scheme in new[]
        {
            IdentityConstants.ApplicationScheme, IdentityConstants.ExternalScheme,
            IdentityConstants.TwoFactorRememberMeScheme, IdentityConstants.TwoFactorUserIdScheme,
        })
        {
            services.AddOptions<CookieAuthenticationOptions>(scheme)
                .Configure<IDataProtectionProvider, IHttpContextAccessor>((options, protection, accessor) =>
                {
                    options.TicketDataFormat = new WorkspaceBoundTicketFormat(protection, accessor, scheme);

                    // Host-only (no Domain), HttpOnly, Lax; Secure whenever the request is HTTPS, which is every
                    // request except on loopback hosts (TransportSecurityMiddleware).
                    options.Cookie.Domain = null;
                    options.Cookie.HttpOnly = true;
                    options.Cookie.SameSite = SameSiteMode.Lax;
                    options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                });
        }

        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure(options =>
        {
            options.Cookie.Name = "ontrackio.session";
            options.LoginPath = "/account/sign-in";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;

            // The API answers 401/403; only pages redirect to sign in.
            options.Events.OnRedirectToLogin = context => ApiOr(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = Forbidden;
            options.Events.OnSigningIn = SessionEvents.StartAsync;
            options.Events.OnSigningOut = SessionEvents.EndAsync;
            var validateStamp = options.Events.OnValidatePrincipal;
            options.Events.OnValidatePrincipal = async context =>
            {
                if (StampCheckSchedule.IsDue(context))
                {
                    await validateStamp(context);
                }

                await SessionEvents.ValidateAsync(context);
            };
        });

        // Identity re-issues the cookie when it re-checks the security stamp; the session it belongs to carries over.
        services.Configure<SecurityStampValidatorOptions>(options => options.OnRefreshingPrincipal = SessionEvents.CarryOver);

        services.AddScoped<AcceptInvitation>();
        services.AddScoped<InviteColleague>();
        services.AddEmail();
        services.AddScoped<ChangeUserRoles>();
        services.AddScoped<ListUsers>();
        services.AddScoped<LockUser>();
        services.AddScoped<UnlockUser>();
        services.AddScoped<ChangeDisplayName>();
        services.AddScoped<RequestEmailChange>();
        services.AddScoped<ConfirmEmailChange>();
        services.AddScoped<ListInvitations>();
        services.AddScoped<RevokeInvitation>();
        services.AddPermissionPolicies();
        services.AddSingleton<SessionCache>();
        services.AddScoped<WorkspaceSessions>();
        services.AddScoped<Audit.AuditTrail>();
        services.AddWorkspaceSso();
        return services;
    }

    /// <summary>
    /// A signed-in user whose role lacks the permission gets 403 on pages too: a redirect would hide the refusal from
    /// scripts and tests, and there is nothing to sign in to. Pages get a line to read instead of an empty body.
    /// </summary>
    private static Task Forbidden(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not allowed</title></head><body>" +
            "<main><h1>Not allowed</h1><p role=\"alert\">Your role in this workspace does not allow this.</p><p><a href=\"/\">Home</a></p></main></body></html>");
    }

    private static Task ApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
