using CtdbInterop.Bindings.Generated;
using CtdbInterop.Recoverd.Core.Domain;

namespace CtdbInterop.Recoverd.Core.MainLoop;

/// <summary>The reads B21-B23 need: the local recovery mode (B21), the wall clock, and whether this node leads.</summary>
public sealed record LocalSnapshot(FetchResult<CtdbRecoveryMode> LocalRecoveryMode, WallTime WallNow, bool IsLeader);
