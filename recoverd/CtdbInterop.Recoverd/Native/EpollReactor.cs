using Tmds.Linux;

namespace CtdbInterop.Recoverd.Native;

/// <summary>
/// Awaits readability of pipes and pidfds without blocking thread-pool threads: one
/// background thread sits in epoll_wait and completes one-shot registrations. .NET's own
/// async I/O covers sockets only, and its PipeStream reads on Unix block a pool thread
/// and cannot be cancelled.
/// </summary>
internal sealed unsafe class EpollReactor : IDisposable
{
    private const ulong WakeToken = 0;
    private const int MaxEvents = 16;

    private readonly SafeFd _epoll;
    private readonly SafeFd _wake;
    private readonly Thread _thread;
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Registration> _registrations = [];
    private ulong _nextToken = WakeToken + 1;
    private bool _disposed;

    public EpollReactor()
    {
        var epoll = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (epoll < 0)
        {
            throw UnixException.FromLastError("epoll_create1");
        }

        _epoll = new SafeFd(epoll);
        var wake = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (wake < 0)
        {
            var error = UnixException.FromLastError("eventfd");
            _epoll.Dispose();
            throw error;
        }

        _wake = new SafeFd(wake);
        var ev = new epoll_event { events = LibC.EPOLLIN };
        ev.data.u64 = WakeToken;
        if (LibC.epoll_ctl(epoll, LibC.EPOLL_CTL_ADD, wake, &ev) != 0)
        {
            var error = UnixException.FromLastError("epoll_ctl(eventfd)");
            _wake.Dispose();
            _epoll.Dispose();
            throw error;
        }

        _thread = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "epoll reactor" };
        _thread.Start();
    }

    /// <summary>
    /// Completes when <paramref name="fd"/> is readable, at end of file, or in error (the
    /// caller's read then tells which). Keeps the handle open until then. One waiter per
    /// descriptor at a time.
    /// </summary>
    public Task WaitReadableAsync(SafeFd fd, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var registration = new Registration(this, fd);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            registration.Token = _nextToken++;
            var ev = new epoll_event { events = LibC.EPOLLIN | LibC.EPOLLONESHOT };
            ev.data.u64 = registration.Token;
            if (LibC.epoll_ctl(_epoll.Fd, LibC.EPOLL_CTL_ADD, fd.Fd, &ev) != 0)
            {
                var error = UnixException.FromLastError("epoll_ctl(ADD)");
                registration.ReleaseHandle();
                throw error;
            }

            _registrations.Add(registration.Token, registration);
        }

        if (cancellationToken.CanBeCanceled)
        {
            registration.Cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((Registration)state!).Cancel(token),
                registration);
            if (registration.Task.IsCompleted)
            {
                // Completed before the registration existed: nothing left to cancel.
                registration.Cancellation.Dispose();
            }
        }

        return registration.Task;
    }

    public void Dispose()
    {
        List<Registration> orphans;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            orphans = [.. _registrations.Values];
            _registrations.Clear();
        }

        ulong one = 1;
        LibC.write(_wake.Fd, &one, sizeof(ulong));
        _thread.Join(TimeSpan.FromSeconds(5));
        foreach (var orphan in orphans)
        {
            orphan.Fail(new ObjectDisposedException(nameof(EpollReactor)));
        }

        _wake.Dispose();
        _epoll.Dispose();
    }

    private void Run()
    {
        var events = stackalloc epoll_event[MaxEvents];
        while (true)
        {
            var count = LibC.epoll_wait(_epoll.Fd, events, MaxEvents, -1);
            if (count < 0)
            {
                if (LibC.errno == LibC.EINTR)
                {
                    continue;
                }

                return;
            }

            for (var i = 0; i < count; i++)
            {
                var token = events[i].data.u64;
                if (token == WakeToken)
                {
                    lock (_lock)
                    {
                        if (_disposed)
                        {
                            return;
                        }
                    }

                    continue;
                }

                if (TryRemove(token) is { } ready)
                {
                    ready.Succeed();
                }
            }
        }
    }

    // Removes a registration from the table and from epoll; null when it was already gone
    // (completed or cancelled concurrently).
    private Registration? TryRemove(ulong token)
    {
        lock (_lock)
        {
            if (!_registrations.Remove(token, out var registration))
            {
                return null;
            }

            // Cannot fail for a registered descriptor that we keep open.
            _ = LibC.epoll_ctl(_epoll.Fd, LibC.EPOLL_CTL_DEL, registration.Fd, null);
            return registration;
        }
    }

    private sealed class Registration
    {
        private readonly EpollReactor _owner;
        private readonly SafeFd _handle;
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _handleAdded;

        public Registration(EpollReactor owner, SafeFd handle)
        {
            _owner = owner;
            _handle = handle;
            handle.DangerousAddRef(ref _handleAdded);
            Fd = handle.Fd;
        }

        public int Fd { get; }

        public ulong Token { get; set; }

        public CancellationTokenRegistration Cancellation { get; set; }

        public Task Task => _completion.Task;

        public void Succeed()
        {
            Finish();
            _completion.TrySetResult();
        }

        public void Fail(Exception error)
        {
            Finish();
            _completion.TrySetException(error);
        }

        public void Cancel(CancellationToken token)
        {
            if (_owner.TryRemove(Token) is not null)
            {
                Finish();
                _completion.TrySetCanceled(token);
            }
        }

        public void ReleaseHandle()
        {
            if (_handleAdded)
            {
                _handleAdded = false;
                _handle.DangerousRelease();
            }
        }

        private void Finish()
        {
            ReleaseHandle();

            // Not under the reactor lock: disposing waits for a running cancel callback,
            // which itself takes the lock.
            Cancellation.Dispose();
        }
    }
}
