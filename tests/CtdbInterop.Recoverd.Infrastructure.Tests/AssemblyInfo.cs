using System.Runtime.Versioning;

// The daemon and these tests are Linux-only (pidfd, epoll, posix_spawn, /proc).
[assembly: SupportedOSPlatform("linux")]
