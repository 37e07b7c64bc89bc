using OnTrackio.Web;

var app = OnTrackioWebApp.Build(args);
await EmbeddedFirstStart.PrepareAsync(app.Services, Console.Out, app.Lifetime.ApplicationStopping);
await app.RunAsync();
