using System.Globalization;
using CtdbInterop.Recoverd.Logging;
using CtdbInterop.Recoverd.Native;
using CtdbInterop.Recoverd.Processes;

namespace CtdbInterop.Recoverd.Configuration;

/// <summary>
/// Reads the values without a control through ctdb's own parser,
/// <c>ctdb-config get &lt;section&gt; "&lt;key&gt;"</c>, which applies the same file and
/// test-mode rules as ctdbd. Any problem (missing tool, invalid file, odd output, time
/// limit) gives one clear log line and the default for that value; it never stops the daemon.
/// A file ctdb-config cannot parse is answered with defaults and exit 0 by <c>get</c>, so
/// <c>ctdb-config validate</c> runs beside the reads to say so.
/// </summary>
internal sealed class CtdbConfigReader(CommandRunner commands, CtdbLog log)
{
    /// <summary>Limit for one ctdb-config run.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <param name="confFile">The ctdb.conf ctdb-config reads (<see cref="CtdbConfFile.PathFor"/>), checked for
    /// readability; null skips that check.</param>
    /// <param name="ctdbdStartedUtc">When ctdbd started: a ctdb.conf written since then gets a warning.</param>
    public async Task<DaemonConfiguration> ReadAsync(string ctdbConfigPath, TimeSpan timeout, CancellationToken cancellationToken, string? confFile = null, DateTime? ctdbdStartedUtc = null)
    {
        var defaults = DaemonConfiguration.Defaults;

        // The three runs go out together (issue 7): run one after the other they were most of
        // the daemon's start-up (~150 ms each on a busy machine). Results are judged in order.
        var leaderTimeoutRun = GetAsync(ctdbConfigPath, "cluster", "leader timeout", defaults.LeaderTimeoutSeconds.ToString(CultureInfo.InvariantCulture), timeout, cancellationToken);
        var failoverRun = GetAsync(ctdbConfigPath, "failover", "disabled", "false", timeout, cancellationToken);
        var stateDirectoryRun = GetAsync(ctdbConfigPath, "database", "state database directory", defaults.StateDatabaseDirectory, timeout, cancellationToken);
        var validateRun = ValidateAsync(ctdbConfigPath, timeout, cancellationToken);

        var leaderTimeout = defaults.LeaderTimeoutSeconds;
        var text = await leaderTimeoutRun.ConfigureAwait(false);
        if (text is not null)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                leaderTimeout = seconds;
            }
            else
            {
                log.Warning($"Invalid [cluster] leader timeout \"{text}\" from ctdb-config, using {defaults.LeaderTimeoutSeconds}");
            }
        }

        var failoverDisabled = defaults.FailoverDisabled;
        text = await failoverRun.ConfigureAwait(false);
        switch (text)
        {
            case null:
                break;
            case "true":
                failoverDisabled = true;
                break;
            case "false":
                failoverDisabled = false;
                break;
            default:
                log.Warning($"Invalid [failover] disabled \"{text}\" from ctdb-config, using false");
                break;
        }

        var stateDirectory = defaults.StateDatabaseDirectory;
        text = await stateDirectoryRun.ConfigureAwait(false);
        if (text is not null)
        {
            if (text.StartsWith('/'))
            {
                stateDirectory = text;
            }
            else
            {
                log.Warning($"Invalid [database] state database directory \"{text}\" from ctdb-config, using {defaults.StateDatabaseDirectory}");
            }
        }

        var rejected = await validateRun.ConfigureAwait(false);
        var problem = (confFile is null ? null : CtdbConfFile.ReadProblem(confFile)) ?? rejected;
        if (problem is null && confFile is not null && CtdbConfFile.ChangedSince(confFile, ctdbdStartedUtc) is { } changed)
        {
            log.Warning($"ctdb.conf changed after ctdbd started ({changed}): the values below come from the file now and may differ from those ctdbd runs with");
        }

        if (problem is not null)
        {
            log.Error($"ctdb.conf is not valid ({problem}): ctdb-config answers defaults for what it cannot parse, so the values below may differ from those ctdbd started with; fix the file and restart ctdbd");
        }

        var configuration = new DaemonConfiguration(leaderTimeout, failoverDisabled, stateDirectory);
        log.Info($"Configuration: leader timeout = {configuration.LeaderTimeoutSeconds}, failover disabled = {(configuration.FailoverDisabled ? "true" : "false")}, state database directory = {configuration.StateDatabaseDirectory}");
        return configuration;
    }

    // The printed value (first line, trimmed), or null after logging why there is none.
    private async Task<string?> GetAsync(string ctdbConfigPath, string section, string key, string fallback, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var what = $"[{section}] {key}";
        CommandOutput output;
        try
        {
            output = await commands.RunAsync(ctdbConfigPath, ["get", section, key], timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (UnixException ex)
        {
            log.Warning($"Unable to run \"{ctdbConfigPath}\" to read {what} ({ex.Message}), using {fallback}");
            return null;
        }

        if (output.TimedOut)
        {
            log.Warning($"\"{ctdbConfigPath}\" did not answer for {what} within {timeout.TotalSeconds:0.#} s, using {fallback}");
            return null;
        }

        if (!output.Succeeded)
        {
            var reason = FirstLine(output.StandardError);
            log.Warning($"Unable to read {what} with ctdb-config ({output.Status}{(reason.Length > 0 ? ": " + reason : string.Empty)}), using {fallback}");
            return null;
        }

        return FirstLine(output.StandardOutput);
    }

    // Why ctdb-config rejects the file, or null when it accepts it or cannot say (the reads log that).
    private async Task<string?> ValidateAsync(string ctdbConfigPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        CommandOutput output;
        try
        {
            output = await commands.RunAsync(ctdbConfigPath, ["validate"], timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (UnixException)
        {
            return null;
        }

        if (output.TimedOut || output.Succeeded)
        {
            return null;
        }

        var reason = FirstLine(output.StandardError);
        return $"ctdb-config validate: {output.Status}{(reason.Length > 0 ? ": " + reason : string.Empty)}";
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]).Trim();
    }
}
