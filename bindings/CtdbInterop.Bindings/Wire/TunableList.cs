namespace CtdbInterop.Bindings.Wire;

/// <summary>
/// <c>struct ctdb_tunable_list</c>: 62 consecutive u32, exactly 248 bytes, the reply of
/// GET_ALL_TUNABLES. Properties keep the C field order and spelling (in .NET case); each one's
/// documentation names the tunable as <c>ctdb listvars</c> shows it and its default.
/// </summary>
public sealed record TunableList : IWireType<TunableList>
{
    public const int Count = 62;
    public const int Size = Count * 4;

    /// <summary>ctdbd 4.22.6's defaults.</summary>
    public static TunableList Defaults { get; } = new()
    {
        MaxRedirectCount = 3,
        SeqnumInterval = 1000,
        ControlTimeout = 60,
        TraverseTimeout = 20,
        KeepaliveInterval = 5,
        KeepaliveLimit = 5,
        RecoverTimeout = 30,
        RecoverInterval = 1,
        ElectionTimeout = 3,
        TakeoverTimeout = 9,
        MonitorInterval = 15,
        TickleUpdateInterval = 20,
        ScriptTimeout = 30,
        MonitorTimeoutCount = 20,
        ScriptUnhealthyOnTimeout = 0,
        RecoveryGracePeriod = 120,
        RecoveryBanPeriod = 300,
        DatabaseHashSize = 100001,
        DatabaseMaxDead = 5,
        RerecoveryTimeout = 10,
        EnableBans = 1,
        DeterministicPublicIps = 0,
        ReclockPingPeriod = 60,
        NoIpFailback = 0,
        DisableIpFailover = 0,
        VerboseMemoryNames = 0,
        RecdPingTimeout = 60,
        RecdPingFailcount = 10,
        LogLatencyMs = 0,
        ReclockLatencyMs = 1000,
        RecoveryDropAllIps = 120,
        VerifyRecoveryLock = 1,
        VacuumInterval = 10,
        VacuumMaxRunTime = 120,
        RepackLimit = 10000,
        VacuumLimit = 5000,
        MaxQueueDepthDropMsg = 1000000,
        AllowUnhealthyDbRead = 0,
        StatHistoryInterval = 1,
        DeferredAttachTimeout = 120,
        VacuumFastPathCount = 60,
        Lcp2PublicIpAssignment = 1,
        AllowClientDbAttach = 1,
        RecoverPdbBySeqnum = 1,
        DeferredRebalanceOnNodeAdd = 300,
        FetchCollapse = 1,
        HopcountMakeSticky = 50,
        StickyDuration = 600,
        StickyPindown = 200,
        NoIpTakeover = 0,
        DbRecordCountWarn = 100000,
        DbRecordSizeWarn = 10000000,
        DbSizeWarn = 100000000,
        PulldbPreallocationSize = 10485760,
        NoIpHostOnAllDisabled = 1,
        Samba3Hack = 0,
        MutexEnabled = 1,
        LockProcessesPerDb = 200,
        RecBufferSizeLimit = 1000000,
        QueueBufferSize = 1024,
        IpAllocAlgorithm = 2,
        AllowMixedVersions = 0,
    };

    /// <summary>Offset 0: <c>max_redirect_count</c> = MaxRedirectCount (default 3).</summary>
    public uint MaxRedirectCount { get; init; }

    /// <summary>Offset 4: <c>seqnum_interval</c> = SeqnumInterval (default 1000).</summary>
    public uint SeqnumInterval { get; init; }

    /// <summary>Offset 8: <c>control_timeout</c> = ControlTimeout (default 60).</summary>
    public uint ControlTimeout { get; init; }

    /// <summary>Offset 12: <c>traverse_timeout</c> = TraverseTimeout (default 20).</summary>
    public uint TraverseTimeout { get; init; }

    /// <summary>Offset 16: <c>keepalive_interval</c> = KeepaliveInterval (default 5).</summary>
    public uint KeepaliveInterval { get; init; }

    /// <summary>Offset 20: <c>keepalive_limit</c> = KeepaliveLimit (default 5).</summary>
    public uint KeepaliveLimit { get; init; }

    /// <summary>Offset 24: <c>recover_timeout</c> = RecoverTimeout (default 30).</summary>
    public uint RecoverTimeout { get; init; }

    /// <summary>Offset 28: <c>recover_interval</c> = RecoverInterval (default 1).</summary>
    public uint RecoverInterval { get; init; }

    /// <summary>Offset 32: <c>election_timeout</c> = ElectionTimeout (default 3).</summary>
    public uint ElectionTimeout { get; init; }

    /// <summary>Offset 36: <c>takeover_timeout</c> = TakeoverTimeout (default 9).</summary>
    public uint TakeoverTimeout { get; init; }

    /// <summary>Offset 40: <c>monitor_interval</c> = MonitorInterval (default 15).</summary>
    public uint MonitorInterval { get; init; }

    /// <summary>Offset 44: <c>tickle_update_interval</c> = TickleUpdateInterval (default 20).</summary>
    public uint TickleUpdateInterval { get; init; }

    /// <summary>Offset 48: <c>script_timeout</c> = EventScriptTimeout (default 30).</summary>
    public uint ScriptTimeout { get; init; }

    /// <summary>Offset 52: <c>monitor_timeout_count</c> = MonitorTimeoutCount (default 20).</summary>
    public uint MonitorTimeoutCount { get; init; }

    /// <summary>Offset 56: <c>script_unhealthy_on_timeout</c> = EventScriptUnhealthyOnTimeout (default 0).</summary>
    public uint ScriptUnhealthyOnTimeout { get; init; }

    /// <summary>Offset 60: <c>recovery_grace_period</c> = RecoveryGracePeriod (default 120).</summary>
    public uint RecoveryGracePeriod { get; init; }

    /// <summary>Offset 64: <c>recovery_ban_period</c> = RecoveryBanPeriod (default 300).</summary>
    public uint RecoveryBanPeriod { get; init; }

    /// <summary>Offset 68: <c>database_hash_size</c> = DatabaseHashSize (default 100001).</summary>
    public uint DatabaseHashSize { get; init; }

    /// <summary>Offset 72: <c>database_max_dead</c> = DatabaseMaxDead (default 5).</summary>
    public uint DatabaseMaxDead { get; init; }

    /// <summary>Offset 76: <c>rerecovery_timeout</c> = RerecoveryTimeout (default 10).</summary>
    public uint RerecoveryTimeout { get; init; }

    /// <summary>Offset 80: <c>enable_bans</c> = EnableBans (default 1).</summary>
    public uint EnableBans { get; init; }

    /// <summary>Offset 84: <c>deterministic_public_ips</c> = DeterministicIPs (default 0).</summary>
    public uint DeterministicPublicIps { get; init; }

    /// <summary>Offset 88: <c>reclock_ping_period</c> = ReclockPingPeriod (default 60).</summary>
    public uint ReclockPingPeriod { get; init; }

    /// <summary>Offset 92: <c>no_ip_failback</c> = NoIPFailback (default 0).</summary>
    public uint NoIpFailback { get; init; }

    /// <summary>Offset 96: <c>disable_ip_failover</c> = DisableIPFailover (default 0).</summary>
    public uint DisableIpFailover { get; init; }

    /// <summary>Offset 100: <c>verbose_memory_names</c> = VerboseMemoryNames (default 0).</summary>
    public uint VerboseMemoryNames { get; init; }

    /// <summary>Offset 104: <c>recd_ping_timeout</c> = RecdPingTimeout (default 60).</summary>
    public uint RecdPingTimeout { get; init; }

    /// <summary>Offset 108: <c>recd_ping_failcount</c> = RecdFailCount (default 10).</summary>
    public uint RecdPingFailcount { get; init; }

    /// <summary>Offset 112: <c>log_latency_ms</c> = LogLatencyMs (default 0).</summary>
    public uint LogLatencyMs { get; init; }

    /// <summary>Offset 116: <c>reclock_latency_ms</c> = RecLockLatencyMs (default 1000).</summary>
    public uint ReclockLatencyMs { get; init; }

    /// <summary>Offset 120: <c>recovery_drop_all_ips</c> = RecoveryDropAllIPs (default 120).</summary>
    public uint RecoveryDropAllIps { get; init; }

    /// <summary>Offset 124: <c>verify_recovery_lock</c> = VerifyRecoveryLock (default 1).</summary>
    public uint VerifyRecoveryLock { get; init; }

    /// <summary>Offset 128: <c>vacuum_interval</c> = VacuumInterval (default 10).</summary>
    public uint VacuumInterval { get; init; }

    /// <summary>Offset 132: <c>vacuum_max_run_time</c> = VacuumMaxRunTime (default 120).</summary>
    public uint VacuumMaxRunTime { get; init; }

    /// <summary>Offset 136: <c>repack_limit</c> = RepackLimit (default 10000).</summary>
    public uint RepackLimit { get; init; }

    /// <summary>Offset 140: <c>vacuum_limit</c> = VacuumLimit (default 5000).</summary>
    public uint VacuumLimit { get; init; }

    /// <summary>Offset 144: <c>max_queue_depth_drop_msg</c> = MaxQueueDropMsg (default 1000000).</summary>
    public uint MaxQueueDepthDropMsg { get; init; }

    /// <summary>Offset 148: <c>allow_unhealthy_db_read</c> = AllowUnhealthyDBRead (default 0).</summary>
    public uint AllowUnhealthyDbRead { get; init; }

    /// <summary>Offset 152: <c>stat_history_interval</c> = StatHistoryInterval (default 1).</summary>
    public uint StatHistoryInterval { get; init; }

    /// <summary>Offset 156: <c>deferred_attach_timeout</c> = DeferredAttachTO (default 120).</summary>
    public uint DeferredAttachTimeout { get; init; }

    /// <summary>Offset 160: <c>vacuum_fast_path_count</c> = VacuumFastPathCount (default 60).</summary>
    public uint VacuumFastPathCount { get; init; }

    /// <summary>Offset 164: <c>lcp2_public_ip_assignment</c> = LCP2PublicIPs (default 1).</summary>
    public uint Lcp2PublicIpAssignment { get; init; }

    /// <summary>Offset 168: <c>allow_client_db_attach</c> = AllowClientDBAttach (default 1).</summary>
    public uint AllowClientDbAttach { get; init; }

    /// <summary>Offset 172: <c>recover_pdb_by_seqnum</c> = RecoverPDBBySeqNum (default 1).</summary>
    public uint RecoverPdbBySeqnum { get; init; }

    /// <summary>Offset 176: <c>deferred_rebalance_on_node_add</c> = DeferredRebalanceOnNodeAdd (default 300).</summary>
    public uint DeferredRebalanceOnNodeAdd { get; init; }

    /// <summary>Offset 180: <c>fetch_collapse</c> = FetchCollapse (default 1).</summary>
    public uint FetchCollapse { get; init; }

    /// <summary>Offset 184: <c>hopcount_make_sticky</c> = HopcountMakeSticky (default 50).</summary>
    public uint HopcountMakeSticky { get; init; }

    /// <summary>Offset 188: <c>sticky_duration</c> = StickyDuration (default 600).</summary>
    public uint StickyDuration { get; init; }

    /// <summary>Offset 192: <c>sticky_pindown</c> = StickyPindown (default 200).</summary>
    public uint StickyPindown { get; init; }

    /// <summary>Offset 196: <c>no_ip_takeover</c> = NoIPTakeover (default 0).</summary>
    public uint NoIpTakeover { get; init; }

    /// <summary>Offset 200: <c>db_record_count_warn</c> = DBRecordCountWarn (default 100000).</summary>
    public uint DbRecordCountWarn { get; init; }

    /// <summary>Offset 204: <c>db_record_size_warn</c> = DBRecordSizeWarn (default 10000000).</summary>
    public uint DbRecordSizeWarn { get; init; }

    /// <summary>Offset 208: <c>db_size_warn</c> = DBSizeWarn (default 100000000).</summary>
    public uint DbSizeWarn { get; init; }

    /// <summary>Offset 212: <c>pulldb_preallocation_size</c> = PullDBPreallocation (default 10485760).</summary>
    public uint PulldbPreallocationSize { get; init; }

    /// <summary>Offset 216: <c>no_ip_host_on_all_disabled</c> = NoIPHostOnAllDisabled (default 1).</summary>
    public uint NoIpHostOnAllDisabled { get; init; }

    /// <summary>Offset 220: <c>samba3_hack</c> = Samba3AvoidDeadlocks (default 0).</summary>
    public uint Samba3Hack { get; init; }

    /// <summary>Offset 224: <c>mutex_enabled</c> = TDBMutexEnabled (default 1).</summary>
    public uint MutexEnabled { get; init; }

    /// <summary>Offset 228: <c>lock_processes_per_db</c> = LockProcessesPerDB (default 200).</summary>
    public uint LockProcessesPerDb { get; init; }

    /// <summary>Offset 232: <c>rec_buffer_size_limit</c> = RecBufferSizeLimit (default 1000000).</summary>
    public uint RecBufferSizeLimit { get; init; }

    /// <summary>Offset 236: <c>queue_buffer_size</c> = QueueBufferSize (default 1024).</summary>
    public uint QueueBufferSize { get; init; }

    /// <summary>Offset 240: <c>ip_alloc_algorithm</c> = IPAllocAlgorithm (default 2).</summary>
    public uint IpAllocAlgorithm { get; init; }

    /// <summary>Offset 244: <c>allow_mixed_versions</c> = AllowMixedVersions (default 0).</summary>
    public uint AllowMixedVersions { get; init; }

    public int WireLength => Size;

    public void Push(Span<byte> destination)
    {
        var w = new WireWriter(destination);
        w.WriteUInt32(MaxRedirectCount);
        w.WriteUInt32(SeqnumInterval);
        w.WriteUInt32(ControlTimeout);
        w.WriteUInt32(TraverseTimeout);
        w.WriteUInt32(KeepaliveInterval);
        w.WriteUInt32(KeepaliveLimit);
        w.WriteUInt32(RecoverTimeout);
        w.WriteUInt32(RecoverInterval);
        w.WriteUInt32(ElectionTimeout);
        w.WriteUInt32(TakeoverTimeout);
        w.WriteUInt32(MonitorInterval);
        w.WriteUInt32(TickleUpdateInterval);
        w.WriteUInt32(ScriptTimeout);
        w.WriteUInt32(MonitorTimeoutCount);
        w.WriteUInt32(ScriptUnhealthyOnTimeout);
        w.WriteUInt32(RecoveryGracePeriod);
        w.WriteUInt32(RecoveryBanPeriod);
        w.WriteUInt32(DatabaseHashSize);
        w.WriteUInt32(DatabaseMaxDead);
        w.WriteUInt32(RerecoveryTimeout);
        w.WriteUInt32(EnableBans);
        w.WriteUInt32(DeterministicPublicIps);
        w.WriteUInt32(ReclockPingPeriod);
        w.WriteUInt32(NoIpFailback);
        w.WriteUInt32(DisableIpFailover);
        w.WriteUInt32(VerboseMemoryNames);
        w.WriteUInt32(RecdPingTimeout);
        w.WriteUInt32(RecdPingFailcount);
        w.WriteUInt32(LogLatencyMs);
        w.WriteUInt32(ReclockLatencyMs);
        w.WriteUInt32(RecoveryDropAllIps);
        w.WriteUInt32(VerifyRecoveryLock);
        w.WriteUInt32(VacuumInterval);
        w.WriteUInt32(VacuumMaxRunTime);
        w.WriteUInt32(RepackLimit);
        w.WriteUInt32(VacuumLimit);
        w.WriteUInt32(MaxQueueDepthDropMsg);
        w.WriteUInt32(AllowUnhealthyDbRead);
        w.WriteUInt32(StatHistoryInterval);
        w.WriteUInt32(DeferredAttachTimeout);
        w.WriteUInt32(VacuumFastPathCount);
        w.WriteUInt32(Lcp2PublicIpAssignment);
        w.WriteUInt32(AllowClientDbAttach);
        w.WriteUInt32(RecoverPdbBySeqnum);
        w.WriteUInt32(DeferredRebalanceOnNodeAdd);
        w.WriteUInt32(FetchCollapse);
        w.WriteUInt32(HopcountMakeSticky);
        w.WriteUInt32(StickyDuration);
        w.WriteUInt32(StickyPindown);
        w.WriteUInt32(NoIpTakeover);
        w.WriteUInt32(DbRecordCountWarn);
        w.WriteUInt32(DbRecordSizeWarn);
        w.WriteUInt32(DbSizeWarn);
        w.WriteUInt32(PulldbPreallocationSize);
        w.WriteUInt32(NoIpHostOnAllDisabled);
        w.WriteUInt32(Samba3Hack);
        w.WriteUInt32(MutexEnabled);
        w.WriteUInt32(LockProcessesPerDb);
        w.WriteUInt32(RecBufferSizeLimit);
        w.WriteUInt32(QueueBufferSize);
        w.WriteUInt32(IpAllocAlgorithm);
        w.WriteUInt32(AllowMixedVersions);
    }

    public static TunableList Pull(ReadOnlySpan<byte> source, out int consumed)
    {
        var r = new WireReader(source, "tunable list");
        var value = new TunableList
        {
            MaxRedirectCount = r.ReadUInt32("max_redirect_count"),
            SeqnumInterval = r.ReadUInt32("seqnum_interval"),
            ControlTimeout = r.ReadUInt32("control_timeout"),
            TraverseTimeout = r.ReadUInt32("traverse_timeout"),
            KeepaliveInterval = r.ReadUInt32("keepalive_interval"),
            KeepaliveLimit = r.ReadUInt32("keepalive_limit"),
            RecoverTimeout = r.ReadUInt32("recover_timeout"),
            RecoverInterval = r.ReadUInt32("recover_interval"),
            ElectionTimeout = r.ReadUInt32("election_timeout"),
            TakeoverTimeout = r.ReadUInt32("takeover_timeout"),
            MonitorInterval = r.ReadUInt32("monitor_interval"),
            TickleUpdateInterval = r.ReadUInt32("tickle_update_interval"),
            ScriptTimeout = r.ReadUInt32("script_timeout"),
            MonitorTimeoutCount = r.ReadUInt32("monitor_timeout_count"),
            ScriptUnhealthyOnTimeout = r.ReadUInt32("script_unhealthy_on_timeout"),
            RecoveryGracePeriod = r.ReadUInt32("recovery_grace_period"),
            RecoveryBanPeriod = r.ReadUInt32("recovery_ban_period"),
            DatabaseHashSize = r.ReadUInt32("database_hash_size"),
            DatabaseMaxDead = r.ReadUInt32("database_max_dead"),
            RerecoveryTimeout = r.ReadUInt32("rerecovery_timeout"),
            EnableBans = r.ReadUInt32("enable_bans"),
            DeterministicPublicIps = r.ReadUInt32("deterministic_public_ips"),
            ReclockPingPeriod = r.ReadUInt32("reclock_ping_period"),
            NoIpFailback = r.ReadUInt32("no_ip_failback"),
            DisableIpFailover = r.ReadUInt32("disable_ip_failover"),
            VerboseMemoryNames = r.ReadUInt32("verbose_memory_names"),
            RecdPingTimeout = r.ReadUInt32("recd_ping_timeout"),
            RecdPingFailcount = r.ReadUInt32("recd_ping_failcount"),
            LogLatencyMs = r.ReadUInt32("log_latency_ms"),
            ReclockLatencyMs = r.ReadUInt32("reclock_latency_ms"),
            RecoveryDropAllIps = r.ReadUInt32("recovery_drop_all_ips"),
            VerifyRecoveryLock = r.ReadUInt32("verify_recovery_lock"),
            VacuumInterval = r.ReadUInt32("vacuum_interval"),
            VacuumMaxRunTime = r.ReadUInt32("vacuum_max_run_time"),
            RepackLimit = r.ReadUInt32("repack_limit"),
            VacuumLimit = r.ReadUInt32("vacuum_limit"),
            MaxQueueDepthDropMsg = r.ReadUInt32("max_queue_depth_drop_msg"),
            AllowUnhealthyDbRead = r.ReadUInt32("allow_unhealthy_db_read"),
            StatHistoryInterval = r.ReadUInt32("stat_history_interval"),
            DeferredAttachTimeout = r.ReadUInt32("deferred_attach_timeout"),
            VacuumFastPathCount = r.ReadUInt32("vacuum_fast_path_count"),
            Lcp2PublicIpAssignment = r.ReadUInt32("lcp2_public_ip_assignment"),
            AllowClientDbAttach = r.ReadUInt32("allow_client_db_attach"),
            RecoverPdbBySeqnum = r.ReadUInt32("recover_pdb_by_seqnum"),
            DeferredRebalanceOnNodeAdd = r.ReadUInt32("deferred_rebalance_on_node_add"),
            FetchCollapse = r.ReadUInt32("fetch_collapse"),
            HopcountMakeSticky = r.ReadUInt32("hopcount_make_sticky"),
            StickyDuration = r.ReadUInt32("sticky_duration"),
            StickyPindown = r.ReadUInt32("sticky_pindown"),
            NoIpTakeover = r.ReadUInt32("no_ip_takeover"),
            DbRecordCountWarn = r.ReadUInt32("db_record_count_warn"),
            DbRecordSizeWarn = r.ReadUInt32("db_record_size_warn"),
            DbSizeWarn = r.ReadUInt32("db_size_warn"),
            PulldbPreallocationSize = r.ReadUInt32("pulldb_preallocation_size"),
            NoIpHostOnAllDisabled = r.ReadUInt32("no_ip_host_on_all_disabled"),
            Samba3Hack = r.ReadUInt32("samba3_hack"),
            MutexEnabled = r.ReadUInt32("mutex_enabled"),
            LockProcessesPerDb = r.ReadUInt32("lock_processes_per_db"),
            RecBufferSizeLimit = r.ReadUInt32("rec_buffer_size_limit"),
            QueueBufferSize = r.ReadUInt32("queue_buffer_size"),
            IpAllocAlgorithm = r.ReadUInt32("ip_alloc_algorithm"),
            AllowMixedVersions = r.ReadUInt32("allow_mixed_versions"),
        };
        consumed = r.Position;
        return value;
    }
}
