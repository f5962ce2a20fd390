# Sourced by the idle scripts (idle-ab.sh, idle-working-set.sh, idle-floor.sh): what they
# need to know about a cluster that scripts/cluster.sh started.
#
#   idle_cluster_leader CHECKOUT NAME   the leader's PNN as node 0 reports it, or nothing
#   idle_daemon_pid START_OUTPUT NODE   the recovery daemon PID that "cluster.sh start"
#                                       printed for NODE, or nothing

idle_cluster_leader() {
    timeout 30 "$1/scripts/cluster.sh" ctdb --name "$2" 0 status 2>/dev/null \
        | sed -n 's/^Leader:\([0-9]*\)$/\1/p'
}

idle_daemon_pid() {
    sed -n "s/^node $2: .*recovery daemon pid \([0-9]*\).*/\1/p" "$1"
}
