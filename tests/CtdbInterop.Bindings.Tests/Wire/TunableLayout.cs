using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>
/// A tunable list whose every field holds 0x1000 + its byte offset, written property by
/// property from protocol.h's field order, so the encoded form pins each property's offset.
/// </summary>
internal static class TunableLayout
{
    public static TunableList OffsetMarked { get; } = new()
    {
        MaxRedirectCount = 0x1000, // offset 0
        SeqnumInterval = 0x1004, // offset 4
        ControlTimeout = 0x1008, // offset 8
        TraverseTimeout = 0x100C, // offset 12
        KeepaliveInterval = 0x1010, // offset 16
        KeepaliveLimit = 0x1014, // offset 20
        RecoverTimeout = 0x1018, // offset 24
        RecoverInterval = 0x101C, // offset 28
        ElectionTimeout = 0x1020, // offset 32
        TakeoverTimeout = 0x1024, // offset 36
        MonitorInterval = 0x1028, // offset 40
        TickleUpdateInterval = 0x102C, // offset 44
        ScriptTimeout = 0x1030, // offset 48
        MonitorTimeoutCount = 0x1034, // offset 52
        ScriptUnhealthyOnTimeout = 0x1038, // offset 56
        RecoveryGracePeriod = 0x103C, // offset 60
        RecoveryBanPeriod = 0x1040, // offset 64
        DatabaseHashSize = 0x1044, // offset 68
        DatabaseMaxDead = 0x1048, // offset 72
        RerecoveryTimeout = 0x104C, // offset 76
        EnableBans = 0x1050, // offset 80
        DeterministicPublicIps = 0x1054, // offset 84
        ReclockPingPeriod = 0x1058, // offset 88
        NoIpFailback = 0x105C, // offset 92
        DisableIpFailover = 0x1060, // offset 96
        VerboseMemoryNames = 0x1064, // offset 100
        RecdPingTimeout = 0x1068, // offset 104
        RecdPingFailcount = 0x106C, // offset 108
        LogLatencyMs = 0x1070, // offset 112
        ReclockLatencyMs = 0x1074, // offset 116
        RecoveryDropAllIps = 0x1078, // offset 120
        VerifyRecoveryLock = 0x107C, // offset 124
        VacuumInterval = 0x1080, // offset 128
        VacuumMaxRunTime = 0x1084, // offset 132
        RepackLimit = 0x1088, // offset 136
        VacuumLimit = 0x108C, // offset 140
        MaxQueueDepthDropMsg = 0x1090, // offset 144
        AllowUnhealthyDbRead = 0x1094, // offset 148
        StatHistoryInterval = 0x1098, // offset 152
        DeferredAttachTimeout = 0x109C, // offset 156
        VacuumFastPathCount = 0x10A0, // offset 160
        Lcp2PublicIpAssignment = 0x10A4, // offset 164
        AllowClientDbAttach = 0x10A8, // offset 168
        RecoverPdbBySeqnum = 0x10AC, // offset 172
        DeferredRebalanceOnNodeAdd = 0x10B0, // offset 176
        FetchCollapse = 0x10B4, // offset 180
        HopcountMakeSticky = 0x10B8, // offset 184
        StickyDuration = 0x10BC, // offset 188
        StickyPindown = 0x10C0, // offset 192
        NoIpTakeover = 0x10C4, // offset 196
        DbRecordCountWarn = 0x10C8, // offset 200
        DbRecordSizeWarn = 0x10CC, // offset 204
        DbSizeWarn = 0x10D0, // offset 208
        PulldbPreallocationSize = 0x10D4, // offset 212
        NoIpHostOnAllDisabled = 0x10D8, // offset 216
        Samba3Hack = 0x10DC, // offset 220
        MutexEnabled = 0x10E0, // offset 224
        LockProcessesPerDb = 0x10E4, // offset 228
        RecBufferSizeLimit = 0x10E8, // offset 232
        QueueBufferSize = 0x10EC, // offset 236
        IpAllocAlgorithm = 0x10F0, // offset 240
        AllowMixedVersions = 0x10F4, // offset 244
    };
}
