# shellcheck shell=bash
# The fault matrix of scripts/faults.sh (also drawn from by scripts/soak.sh). Each
# fault_<name> runs with FC_L = the leader and FC_V = a non-leader node (records were written
# from nodes other than FC_V), sets FC_EXPECTED (the outcome it promises), FC_BOUND (seconds
# within which the cluster must be healthy again after the fault ends) and FC_OBS (what it
# saw; FC_LOSSY lists nodes it made inactive, whose volatile records may go), and fails when a fault-specific expectation is not met. The driver then checks
# health within FC_BOUND, every record and every ctdb call's bound.

FAULTS=(kill-recoverd-recovery kill-recoverd-takeover recovery-helper-crash recovery-helper-exit1
    recovery-helper-hang recovery-helper-garbage takeover-helper-hang lock-file-removed
    lock-dir-moved lock-lost-peer-paused stop-peer stop-leader restart-loop ban-storm stop-storm leaderrole-off
    conf-malformed conf-unreadable)

fc_lock_dir() { echo "$FL_DIR/shared/.ctdb"; }

# Waits (bounded) for the ctdb calls a fault started in the background.
fc_wait_background() {
    local deadline=$((SECONDS + ${1:-100})) j
    for j in $(jobs -p); do
        while kill -0 "$j" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
    done
    wait 2>/dev/null || true
}

# fc_kill_recoverd_until_restarted NODE: SIGKILL NODE's recovery daemon, wait for a new one.
fc_kill_recoverd() {
    local node=$1 old new start=$SECONDS
    old=$(fl_recoverd_pid "$node")
    [ -n "$old" ] || { FC_OBS="no recovery daemon on node $node"; return 1; }
    kill -KILL "$old"
    if fl_wait 45 fc_recoverd_replaced "$node" "$old"; then
        new=$(fl_recoverd_pid "$node")
        FC_OBS="recovery daemon $old killed, $(fl_daemon_kind "$node") daemon $new running after $((SECONDS - start)) s"
        return 0
    fi
    FC_OBS="recovery daemon $old killed, none running 45 s later"
    return 1
}

fc_recoverd_replaced() { local n; n=$(fl_recoverd_pid "$1"); [ -n "$n" ] && [ "$n" != "$2" ]; }

fc_running() { [ -s "$FL_FDIR/$1.running" ]; }

fc_calls_at_least() { [ "$(fl_helper_calls "$1")" -ge "$2" ]; }

# Every node answers ctdb status within 5 s (prints how many did not).
fc_status_answers() {
    local n bad=0
    for n in $(fl_node_list); do fl_ctdb "$n" 8 -T 3 status >/dev/null 2>&1 || bad=$((bad + 1)); done
    echo "$bad"
}

fault_kill-recoverd-recovery() {
    FC_EXPECTED="ctdbd restarts the killed daemon (30 s check); recovery completes; one leader"
    FC_BOUND=90
    fl_helper_fault recovery slow 1
    fl_ctdb "$FC_L" 100 recover >/dev/null 2>&1 &
    fl_wait 20 fc_running recovery || { FC_OBS="the recovery helper never ran"; return 1; }
    fc_kill_recoverd "$FC_L" || return 1
    fc_wait_background
}

fault_kill-recoverd-takeover() {
    FC_EXPECTED="ctdbd restarts the killed daemon (30 s check); IPs are reallocated; one leader"
    FC_BOUND=90
    fl_helper_fault takeover slow 1
    fl_ctdb "$FC_L" 100 ipreallocate >/dev/null 2>&1 &
    fl_wait 30 fc_running takeover || { FC_OBS="the takeover helper never ran"; return 1; }
    fc_kill_recoverd "$FC_L" || return 1
    fc_wait_background
}

# The recovery helper misbehaves twice; the leader must retry until it works.
fc_recovery_helper_fails() {
    local mode=$1 before start=$SECONDS
    FC_EXPECTED="recovery fails twice, is retried and completes; no hang"
    FC_BOUND=90
    before=$(fl_helper_calls recovery)
    fl_helper_fault recovery "$mode" 2
    fl_ctdb "$FC_L" 100 recover >/dev/null 2>&1 &
    if ! fl_wait 80 fc_calls_at_least recovery $((before + 3)); then
        FC_OBS="helper ran $(( $(fl_helper_calls recovery) - before )) times in 80 s"
        fc_wait_background; return 1
    fi
    FC_OBS="helper ran $(( $(fl_helper_calls recovery) - before )) times (2 faulty) within $((SECONDS - start)) s"
    fc_wait_background
}

fault_recovery-helper-crash() { fc_recovery_helper_fails crash; }
fault_recovery-helper-exit1() { fc_recovery_helper_fails exit1; }
fault_recovery-helper-garbage() { fc_recovery_helper_fails garbage; }

# A helper that hangs for 25 s once: the cluster must keep answering meanwhile.
# Arguments: helper (recovery|takeover), the ctdb command that makes it run, how long to
# wait for it to start, and the expected outcome.
fc_helper_hangs() {
    local helper=$1 command=$2 start_wait=$3 unanswered start=$SECONDS
    FC_EXPECTED=$4
    FC_BOUND=90
    echo 25 >"$FL_FDIR/hang-seconds"
    fl_helper_fault "$helper" hang 1
    fl_ctdb "$FC_L" 100 "$command" >/dev/null 2>&1 &
    fl_wait "$start_wait" fc_running "$helper" || { FC_OBS="the $helper helper never ran"; fc_wait_background; return 1; }
    sleep 8
    unanswered=$(fc_status_answers)
    fc_wait_background
    FC_OBS="status unanswered on $unanswered nodes during the hang; $command returned after $((SECONDS - start)) s"
    [ "$unanswered" -eq 0 ]
}

fault_recovery-helper-hang() {
    fc_helper_hangs recovery recover 20 \
        "ctdb status answers during a 25 s helper hang; recovery is retried after it and completes"
}

fault_takeover-helper-hang() {
    fc_helper_hangs takeover ipreallocate 30 \
        "ctdb status answers during a 25 s takeover helper hang; the takeover run is redone after it"
}

fault_lock-file-removed() {
    local lock start=$SECONDS
    lock="$(fc_lock_dir)/cluster.lock"
    FC_EXPECTED="the lock loss is noticed (5 s recheck), a leader takes the lock again (file re-created)"
    FC_BOUND=60
    rm -f "$lock"
    sleep 2
    if fl_wait 60 test -e "$lock"; then
        FC_OBS="lock file re-created after $((SECONDS - start)) s"
    else
        FC_OBS="lock file not re-created within 60 s"; return 1
    fi
}

# Distinct nodes that call themselves leader right now.
fc_self_leaders() {
    local n c=0
    for n in $(fl_node_list); do [ "$(fl_leader_seen_by "$n")" = "$n" ] && c=$((c + 1)); done
    echo "$c"
}

fault_lock-dir-moved() {
    local dir most=0 c i
    dir=$(fc_lock_dir)
    FC_EXPECTED="while the lock directory is gone (10 probe rounds, >= 10 s) no two nodes lead at once; after it is back one leader holds the lock"
    FC_BOUND=90
    mv "$dir" "$dir.moved"
    for i in $(seq 1 10); do
        c=$(fc_self_leaders); [ "$c" -gt "$most" ] && most=$c
        sleep 1
    done
    mv "$dir.moved" "$dir"
    FC_OBS="at most $most self-declared leaders at once while the directory was gone"
    [ "$most" -le 1 ]
}

# The lock is lost while a peer's ctdbd is paused, so the election's recovery-mode round
# takes seconds and the leader's 1 s broadcast timer fires during it. No broadcast naming the
# old leader may follow the election's UNKNOWN one: the lock cannot be taken (directory gone),
# so a node that still believed in that leader would act as one without the lock and ban
# itself ("Cluster lock not held"). Found by lock-dir-moved on a mixed cluster.
fault_lock-lost-peer-paused() {
    local dir pid log mark bans own
    dir=$(fc_lock_dir) log="$FL_DIR/node.$FC_L/log.ctdb"
    FC_EXPECTED="lock directory moved (30 s) while a peer is paused (20 s): the old leader never takes its own stale broadcast, never acts as leader without the lock (no self-ban)"
    FC_BOUND=90
    mark=$(wc -l <"$log")
    pid=$(fl_ctdbd_pid "$FC_V")
    kill -STOP "$pid"; echo "$pid" >"$FL_FDIR/paused"
    mv "$dir" "$dir.moved"
    sleep 20
    kill -CONT "$pid"; rm -f "$FL_FDIR/paused"
    sleep 10
    mv "$dir.moved" "$dir"
    own=$(tail -n +"$((mark + 1))" "$log" | grep -c "Received leader broadcast, leader=$FC_L\$")
    bans=$(tail -n +"$((mark + 1))" "$log" | grep -c "Cluster lock not held - abort recovery, ban node")
    FC_OBS="node $FC_L ($(fl_daemon_kind "$FC_L")) took its own leader broadcast $own times, banned itself $bans times for recovering without the lock"
    [ "$bans" -eq 0 ] && [ "$own" -eq 0 ]
}

# SIGSTOP NODE's ctdbd for 12 s (leader timeout is 5 s). ctdb status on another node must
# return within its bound; it may fail (it asks every node, and the paused one cannot answer
# before the tool's 3 s control timeout).
fc_pause_ctdbd() {
    local node=$1 other=$2 pid failed=0 late=0 i l rc
    pid=$(fl_ctdbd_pid "$node")
    kill -STOP "$pid"
    echo "$pid" >"$FL_FDIR/paused"
    for i in 1 2 3; do
        sleep 3
        fl_ctdb "$other" 8 -T 3 status >/dev/null 2>&1; rc=$?
        [ $rc -eq 0 ] || failed=$((failed + 1))
        [ $rc -eq 124 ] || [ $rc -eq 137 ] && late=$((late + 1))
    done
    l=$(fl_leader_seen_by "$other")
    kill -CONT "$pid"; rm -f "$FL_FDIR/paused"
    FC_OBS="ctdbd $pid paused 12 s; node $other: leader ${l:-none} at the end, status failed $failed of 3 times, $late past bound"
    [ "$late" -eq 0 ]
}

fault_stop-peer() {
    FC_EXPECTED="peer paused 12 s (> 5 s leader timeout): calls on the leader return within bound; cluster heals after SIGCONT"
    FC_BOUND=90
    fc_pause_ctdbd "$FC_V" "$FC_L"
}

fault_stop-leader() {
    FC_EXPECTED="leader's ctdbd paused 12 s: calls on the others return within bound; one leader after SIGCONT"
    FC_BOUND=90
    fc_pause_ctdbd "$FC_L" "$FC_V"
}

fault_restart-loop() {
    local i
    FC_EXPECTED="a non-leader's ctdbd restarted 3 times in a row: it rejoins, records held elsewhere survive"
    FC_BOUND=120
    for i in 1 2 3; do
        timeout 60 "$FL_REPO/scripts/cluster.sh" restart-node --name "$FL_NAME" "$FC_V" >/dev/null 2>&1 \
            || { FC_OBS="restart $i of node $FC_V failed"; return 1; }
        sleep 3
    done
    FC_OBS="node $FC_V restarted 3 times ($(fl_daemon_kind "$FC_V") daemon)"
}

fault_ban-storm() {
    local i n count
    count=$(fl_nodes)
    # 10 s bans: "ctdb ban" waits until it sees the node banned, and under heavy load a 4 s
    # ban could expire before the tool looked, leaving it waiting for good.
    FC_EXPECTED="6 bans of 10 s on random nodes, 3 s apart: the cluster heals after the storm; ban commands return within 30 s"
    FC_BOUND=90
    for i in $(seq 1 6); do
        n=$((RANDOM % count))
        [[ " $FC_LOSSY " == *" $n "* ]] || FC_LOSSY="$FC_LOSSY $n"
        fl_ctdb "$n" 30 ban 10 >/dev/null 2>&1 || true
        sleep 3
    done
    for n in $(fl_node_list); do fl_ctdb "$n" 30 unban >/dev/null 2>&1 || true; done
    FC_OBS="6 bans sent (nodes$FC_LOSSY banned)"
}

fault_stop-storm() {
    local i n count
    count=$(fl_nodes)
    FC_EXPECTED="8 stop/continue pairs on random nodes: the cluster heals after the storm; stop/continue return within 30 s"
    FC_BOUND=90
    for i in $(seq 1 8); do
        n=$((RANDOM % count))
        [[ " $FC_LOSSY " == *" $n "* ]] || FC_LOSSY="$FC_LOSSY $n"
        fl_ctdb "$n" 30 stop >/dev/null 2>&1 || true
        sleep 2
        fl_ctdb "$n" 30 continue >/dev/null 2>&1 || true
        sleep 1
    done
    for n in $(fl_node_list); do fl_ctdb "$n" 30 continue >/dev/null 2>&1 || true; done
    FC_OBS="8 stop/continue pairs sent (nodes$FC_LOSSY stopped)"
}

fc_leader_moved_from() { local l; l=$(fl_leader); [ -n "$l" ] && [ "$l" != "$1" ]; }

fault_leaderrole-off() {
    local start=$SECONDS rc=0
    FC_EXPECTED="leader role off on the leader: another node leads within 30 s"
    FC_BOUND=60
    fl_ctdb "$FC_L" 10 setleaderrole off >/dev/null 2>&1 || { FC_OBS="setleaderrole off failed"; return 1; }
    if fl_wait 30 fc_leader_moved_from "$FC_L"; then
        FC_OBS="node $(fl_leader) leads after $((SECONDS - start)) s"
    else
        FC_OBS="leader still ${FC_L} (or none) after 30 s"; rc=1
    fi
    fl_ctdb "$FC_L" 10 setleaderrole on >/dev/null 2>&1 || true
    return $rc
}

# Breaks the leader's ctdb.conf, then kills its recovery daemon so that ctdbd starts a new
# one, which must come up on it (ours re-reads the file; stock inherits ctdbd's settings).
fc_broken_conf() {
    local conf="$FL_DIR/node.$FC_L/ctdb.conf" log="$FL_DIR/node.$FC_L/log.ctdb" rc=0 mark said
    FC_BOUND=90
    cp -p "$conf" "$FL_FDIR/ctdb.conf.saved"
    echo "$FC_L" >"$FL_FDIR/conf-node"
    mark=$(wc -l <"$log")
    rm -f "$conf"
    "$@" "$conf"
    fc_kill_recoverd "$FC_L" || rc=1
    sleep 5
    [ -n "$(fl_recoverd_pid "$FC_L")" ] || { FC_OBS="$FC_OBS; the new daemon died"; rc=1; }
    # Ours must say that the file it reads is not what ctdbd runs with (the stock daemon keeps
    # ctdbd's settings): invalid, unreadable, or written after ctdbd started.
    if [ "$(fl_daemon_kind "$FC_L")" = ours ]; then
        said=$(tail -n +"$((mark + 1))" "$log" | grep -c -e "ctdb.conf is not valid" -e "ctdb.conf changed after ctdbd started" || true)
        FC_OBS="$FC_OBS; ctdb.conf warning logged $said time(s)"
        [ "$said" -ge 1 ] || rc=1
    fi
    fc_restore_conf
    return $rc
}

fc_restore_conf() {
    local node conf
    [ -f "$FL_FDIR/conf-node" ] || return 0
    node=$(cat "$FL_FDIR/conf-node")
    conf="$FL_DIR/node.$node/ctdb.conf"
    rm -rf "$conf"
    cp -p "$FL_FDIR/ctdb.conf.saved" "$conf"
    rm -f "$FL_FDIR/conf-node"
}

fc_write_malformed() { printf '[cluster\n\tleader timeout = banana\n%%%%%% not ini\n[database]\n\tstate database directory\n' >"$1"; }
fc_make_dir() { mkdir "$1"; }

fault_conf-malformed() {
    FC_EXPECTED="malformed ctdb.conf on the leader, its daemon killed: a new daemon runs (ours warns that ctdb.conf is not what ctdbd runs with), cluster healthy"
    fc_broken_conf fc_write_malformed
}

fault_conf-unreadable() {
    FC_EXPECTED="ctdb.conf replaced by a directory on the leader, its daemon killed: a new daemon runs (ours warns that ctdb.conf is not what ctdbd runs with), cluster healthy"
    fc_broken_conf fc_make_dir
}

# Undoes whatever a fault (or an interrupted one) may have left behind.
fc_restore_all() {
    local n dir
    dir=$(fc_lock_dir)
    [ -f "$FL_FDIR/paused" ] && { kill -CONT "$(cat "$FL_FDIR/paused")" 2>/dev/null || true; rm -f "$FL_FDIR/paused"; }
    [ -d "$dir.moved" ] && [ ! -e "$dir" ] && mv "$dir.moved" "$dir"
    fc_restore_conf
    fl_helper_clear recovery; fl_helper_clear takeover
    for n in $(fl_node_list); do
        fl_ctdb "$n" 10 setleaderrole on >/dev/null 2>&1 || true
        fl_ctdb "$n" 10 continue >/dev/null 2>&1 || true
        fl_ctdb "$n" 10 unban >/dev/null 2>&1 || true
    done
}
