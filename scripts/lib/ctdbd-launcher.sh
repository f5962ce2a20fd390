#!/bin/sh
# Starts one ctdbd of a local cluster, choosing its recovery daemon. Samba's
# tests/local_daemons.sh runs "${VALGRIND} ctdbd" for every node start (also for the
# restarts inside Samba's own test cases), so cluster.sh and samba-suite.sh point
# VALGRIND here. The node number comes from CTDB_BASE (".../node.N").
#   CTDBI_OURS_NODES  "all", "none" or a list such as "0 1": nodes that run ours
#   CTDBI_SHIM, CTDBI_DAEMON  absolute paths of the shim and of our daemon
#   CTDBI_RECOVERY_HELPER, CTDBI_TAKEOVER_HELPER  optional helper overrides (fault tests;
#                     local_daemons.sh sets CTDB_*_HELPER itself, so they are applied here)
#   CTDBI_METRICS     "yes": our recovery daemon writes its metrics to $CTDB_BASE/metrics;
#                     anything else switches them off (never the host's node_exporter directory)
#   CTDBI_EXTRA_PRELOAD  a library to preload into every ctdbd (scripts/bench.sh's probe)
#   CTDBI_CTDBD_PREFIX, CTDBI_PREFIX_NODES  a command (words split on blanks) that runs the
#                     ctdbd of the listed nodes, e.g. valgrind for idle-instructions.sh
node=${CTDB_BASE##*/node.}
[ -n "${CTDBI_RECOVERY_HELPER:-}" ] && { CTDB_RECOVERY_HELPER=$CTDBI_RECOVERY_HELPER; export CTDB_RECOVERY_HELPER; }
[ -n "${CTDBI_TAKEOVER_HELPER:-}" ] && { CTDB_TAKEOVER_HELPER=$CTDBI_TAKEOVER_HELPER; export CTDB_TAKEOVER_HELPER; }
if [ "${CTDBI_METRICS:-}" = yes ]; then
    CTDB_RECOVERD_METRICS_DIR="$CTDB_BASE/metrics"
else
    CTDB_RECOVERD_METRICS_DIR=off
fi
export CTDB_RECOVERD_METRICS_DIR
case " ${CTDBI_OURS_NODES:-none} " in
    " all "|*" $node "*)
        if [ -n "${CTDBI_SHIM:-}" ] && [ -n "${CTDBI_DAEMON:-}" ]; then
            LD_PRELOAD="$CTDBI_SHIM" CTDB_RECOVERD="$CTDBI_DAEMON"
            export LD_PRELOAD CTDB_RECOVERD
        fi
        ;;
esac
if [ -n "${CTDBI_EXTRA_PRELOAD:-}" ]; then
    LD_PRELOAD="${LD_PRELOAD:+$LD_PRELOAD }$CTDBI_EXTRA_PRELOAD"
    export LD_PRELOAD
fi
if [ -n "${CTDBI_CTDBD_PREFIX:-}" ]; then
    case " ${CTDBI_PREFIX_NODES:-} " in
        *" $node "*) exec $CTDBI_CTDBD_PREFIX "$@" ;;
    esac
fi
exec "$@"
