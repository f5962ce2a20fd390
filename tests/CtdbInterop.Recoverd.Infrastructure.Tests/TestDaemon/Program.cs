using CtdbInterop.Recoverd.Hosting;
using CtdbInterop.Recoverd.TestDaemon;
using Microsoft.Extensions.DependencyInjection;

return await DaemonEntry.RunAsync(services => ActivatorUtilities.CreateInstance<IdleLoop>(services));
