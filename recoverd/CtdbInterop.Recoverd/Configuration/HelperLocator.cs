using System.Runtime.InteropServices;
using System.Text;
using CtdbInterop.Recoverd.Hosting;
using CtdbInterop.Recoverd.Logging;
using Tmds.Linux;

namespace CtdbInterop.Recoverd.Configuration;

/// <summary>
/// Finds ctdb's helper programs (B61, 4.22.6 lookup): the environment variable, else the
/// helper directory (<c>CTDB_TEST_HELPER_BINDIR</c> in test mode, else /usr/libexec/ctdb).
/// Each path must exist and have the owner-execute bit; it is resolved once, logged with
/// ctdb's words and cached. Failure is fatal (exit 1), with ctdb's texts.
/// </summary>
internal sealed class HelperLocator(CtdbEnvironment environment, CtdbLog log)
{
    private const ushort OwnerExecute = 0x40; // S_IXUSR

    private readonly Lock _lock = new();
    private string? _recoveryHelper;
    private string? _takeoverHelper;
    private string? _clusterMutexHelper;

    public string RecoveryHelper()
    {
        lock (_lock)
        {
            return _recoveryHelper ??= ResolveResultHelper("recovery_helper", environment.RecoveryHelper, "ctdb_recovery_helper", "Unable to set recovery helper");
        }
    }

    public string TakeoverHelper()
    {
        lock (_lock)
        {
            return _takeoverHelper ??= ResolveResultHelper("takeover_helper", environment.TakeoverHelper, "ctdb_takeover_helper", "Unable to set takeover helper");
        }
    }

    /// <summary>The helper for file-form lock strings (not needed for the <c>!command</c> form).</summary>
    public string ClusterMutexHelper()
    {
        lock (_lock)
        {
            if (_clusterMutexHelper is not null)
            {
                return _clusterMutexHelper;
            }

            var path = environment.ClusterMutexHelper ?? Path.Combine(environment.HelperDirectory, "ctdb_mutex_fcntl_helper");
            switch (Check(path))
            {
                case { } error when error == NotExecutable:
                    // ctdb spells this one message with an underscore.
                    log.Error($"Unable to set cluster_mutex helper \"{path}\" - not executable");
                    throw new FatalDaemonException(ExitCodes.Failure, "Unable to set cluster mutex helper") { AlreadyLogged = true };
                case { } error:
                    log.Error($"Unable to set cluster mutex helper \"{path}\" - {error}");
                    throw new FatalDaemonException(ExitCodes.Failure, "Unable to set cluster mutex helper") { AlreadyLogged = true };
            }

            log.Notice($"Set cluster mutex helper to \"{path}\"");
            return _clusterMutexHelper = path;
        }
    }

    private const string NotExecutable = "not executable";

    /// <summary>Null when <paramref name="path"/> exists and is owner-executable, else ctdb's reason text.</summary>
    public static unsafe string? Check(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        stat st;
        fixed (byte* p = bytes)
        {
            if (LibC.stat(p, &st) != 0)
            {
                return Marshal.GetPInvokeErrorMessage(LibC.errno);
            }
        }

        return ((ushort)st.st_mode & OwnerExecute) == 0 ? NotExecutable : null;
    }

    private string ResolveResultHelper(string type, string? fromEnvironment, string file, string dieMessage)
    {
        var path = fromEnvironment ?? Path.Combine(environment.HelperDirectory, file);
        if (Check(path) is { } error)
        {
            log.Error($"Unable to set {type} \"{path}\" - {error}");
            log.Error($"ctdb exiting with error: {dieMessage}");
            throw new FatalDaemonException(ExitCodes.Failure, dieMessage) { AlreadyLogged = true };
        }

        log.Notice($"Set {type} to \"{path}\"");
        return path;
    }
}
