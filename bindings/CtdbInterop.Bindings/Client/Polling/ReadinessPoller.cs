using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CtdbInterop.Bindings.Client.Polling;

/// <summary>
/// A wait for socket readiness that one thread owns and drives itself: the thread calls
/// <see cref="WaitAndDispatch"/> when it has nothing else to do, and the callbacks of the
/// sockets that became ready run right there, on that thread (the shape of tevent's loop).
/// Any thread may watch sockets, stop watching them or <see cref="Wake"/> the waiting thread.
/// </summary>
/// <remarks>
/// Used by the recovery daemon so that ctdbd's replies are read on the daemon thread itself:
/// .NET's socket engine would take each reply burst on its own thread and hand it over, a
/// futex wake-up and a thread switch per burst (issue 7, idle CPU).
/// </remarks>
public sealed unsafe class ReadinessPoller : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<SocketWatch> _watches = [];
    private readonly List<SocketWatch> _released = [];
    private readonly List<SocketWatch> _flushes = [];
    private readonly List<SocketWatch> _flushing = [];
    private readonly int _wakeFd;
    private PollNative.PollFd[] _pollSet = new PollNative.PollFd[4];
    private SocketWatch[] _polled = new SocketWatch[4];
    private bool _waiting;
    private bool _dispatching;
    private bool _disposed;
    private long _wakes;
    private int _pollingThread;

    public ReadinessPoller()
    {
        _wakeFd = PollNative.eventfd(0, PollNative.EFD_CLOEXEC | PollNative.EFD_NONBLOCK);
        if (_wakeFd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "eventfd");
        }
    }

    /// <summary>
    /// Watches <paramref name="socket"/> for readability (always) and writability (while
    /// <see cref="ISocketWatch.WantWritable"/> is set). <paramref name="onReady"/> runs on the
    /// thread in <see cref="WaitAndDispatch"/> and must not throw. The watch holds a reference
    /// on the socket's handle until it is disposed and no poll names it any more, so dispose
    /// the watch before the socket: a socket's close waits for that reference.
    /// </summary>
    public ISocketWatch Watch(Socket socket, Action<SocketReadiness> onReady)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(onReady);
        var watch = new SocketWatch(this, socket.SafeHandle, onReady);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var added = false;
            socket.SafeHandle.DangerousAddRef(ref added);
            _watches.Add(watch);
            WakeIfWaiting();
        }

        return watch;
    }

    /// <summary>Calls of <see cref="Wake"/> so far, each a system call (for tests of the idle cost).</summary>
    public long Wakes => Interlocked.Read(ref _wakes);

    /// <summary>Ends the current or next <see cref="WaitAndDispatch"/> early. Any thread.</summary>
    public void Wake()
    {
        Interlocked.Increment(ref _wakes);
        ulong one = 1;
        // EAGAIN: the counter is already non-zero, so a wake-up is pending anyway.
        _ = PollNative.write(_wakeFd, &one, sizeof(ulong));
    }

    /// <summary>
    /// Runs the flushes asked for with <see cref="ISocketWatch.FlushBeforeWait"/> now. Only on
    /// the polling thread (as <see cref="WaitAndDispatch"/> does before each wait, and its
    /// owner when it stops polling for good): the flushes run there.
    /// </summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_flushes.Count == 0)
            {
                return;
            }

            foreach (var watch in _flushes)
            {
                watch.FlushListed = false;
            }

            _flushing.AddRange(_flushes);
            _flushes.Clear();
        }

        // Outside the lock: a flush that finds the socket full asks for writability.
        foreach (var watch in _flushing)
        {
            if (!watch.IsDisposed)
            {
                watch.OnReady(SocketReadiness.Writable);
            }
        }

        _flushing.Clear();
    }

    /// <summary>
    /// Runs the flushes asked for since the last wait, then waits until a watched socket is
    /// ready, <see cref="Wake"/> is called or <paramref name="timeoutMs"/> (-1: no limit)
    /// passes, then runs the ready sockets' callbacks on the calling thread. One thread at a time.
    /// </summary>
    /// <returns>The number of callbacks run.</returns>
    public int WaitAndDispatch(int timeoutMs)
    {
        Volatile.Write(ref _pollingThread, Environment.CurrentManagedThreadId);
        Flush();
        int count;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            count = _watches.Count + 1;
            if (_pollSet.Length < count)
            {
                _pollSet = new PollNative.PollFd[count * 2];
                _polled = new SocketWatch[count * 2];
            }

            _pollSet[0] = new PollNative.PollFd { Fd = _wakeFd, Events = PollNative.POLLIN };
            for (var i = 1; i < count; i++)
            {
                var watch = _watches[i - 1];
                _polled[i] = watch;
                _pollSet[i] = new PollNative.PollFd
                {
                    Fd = (int)watch.Handle.DangerousGetHandle(),
                    Events = (short)(PollNative.POLLIN | (watch.WantWritable ? PollNative.POLLOUT : 0)),
                };
            }

            _waiting = true;
        }

        int ready;
        fixed (PollNative.PollFd* set = _pollSet)
        {
            ready = PollNative.poll(set, (nuint)count, timeoutMs);
        }

        var error = ready < 0 ? Marshal.GetLastPInvokeError() : 0;
        lock (_lock)
        {
            _waiting = false;
            ReleaseUnwatched();
        }

        if (ready < 0)
        {
            // A signal is not an error: the caller just looks at its queue and clock again.
            return error == PollNative.EINTR ? 0 : throw new Win32Exception(error, "poll");
        }

        if (_pollSet[0].Revents != 0)
        {
            ulong drained;
            _ = PollNative.read(_wakeFd, &drained, sizeof(ulong));
        }

        var dispatched = 0;
        for (var i = 1; i < count && ready > 0; i++)
        {
            var revents = _pollSet[i].Revents;
            var watch = _polled[i];
            _polled[i] = null!;
            if (revents == 0 || watch.IsDisposed)
            {
                continue;
            }

            // Hang-up, error and a closed descriptor are reported as readable: the receive
            // that follows tells the owner what happened.
            var readiness = SocketReadiness.None;
            if ((revents & (PollNative.POLLIN | PollNative.POLLHUP | PollNative.POLLERR | PollNative.POLLNVAL)) != 0)
            {
                readiness |= SocketReadiness.Readable;
            }

            if ((revents & (PollNative.POLLOUT | PollNative.POLLERR | PollNative.POLLHUP)) != 0)
            {
                readiness |= SocketReadiness.Writable;
            }

            _dispatching = true;
            try
            {
                watch.OnReady(readiness);
            }
            finally
            {
                _dispatching = false;
            }

            dispatched++;
        }

        return dispatched;
    }

    /// <summary>
    /// Whether the caller may call <see cref="WaitAndDispatch"/> itself now: it is the polling
    /// thread and not inside one of its callbacks, whose wait would be overwritten by a nested
    /// one. The recovery daemon waits for an iteration's replies this way (issue 7, idle CPU).
    /// </summary>
    public bool CanWaitHere => OnPollingThread && !_dispatching;

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var watch in _watches)
            {
                watch.MarkDisposed();
                _released.Add(watch);
            }

            _watches.Clear();
            _flushes.Clear();
            ReleaseUnwatched();
        }

        _ = PollNative.close(_wakeFd);
    }

    private void Unwatch(SocketWatch watch)
    {
        lock (_lock)
        {
            if (_watches.Remove(watch))
            {
                _released.Add(watch);
            }

            if (watch.FlushListed)
            {
                watch.FlushListed = false;
                _flushes.Remove(watch);
            }

            // While a poll runs, its set still names the descriptor: the reference is dropped
            // after it returns, so the number cannot be reused under it.
            if (_waiting)
            {
                WakeIfWaiting();
            }
            else
            {
                ReleaseUnwatched();
            }
        }
    }

    private bool OnPollingThread => Volatile.Read(ref _pollingThread) == Environment.CurrentManagedThreadId;

    private void RequestFlush(SocketWatch watch)
    {
        lock (_lock)
        {
            // A flag rather than a search of the list: this runs on every held send.
            if (!watch.FlushListed && !watch.IsDisposed)
            {
                watch.FlushListed = true;
                _flushes.Add(watch);
            }
        }
    }

    private void Changed()
    {
        lock (_lock)
        {
            WakeIfWaiting();
        }
    }

    // Caller holds _lock.
    private void WakeIfWaiting()
    {
        if (_waiting)
        {
            Wake();
        }
    }

    // Caller holds _lock.
    private void ReleaseUnwatched()
    {
        foreach (var watch in _released)
        {
            watch.Handle.DangerousRelease();
        }

        _released.Clear();
    }

    private sealed class SocketWatch(ReadinessPoller owner, SafeHandle handle, Action<SocketReadiness> onReady) : ISocketWatch
    {
        private volatile bool _wantWritable;
        private volatile bool _disposed;

        public SafeHandle Handle => handle;

        /// <summary>Listed for a flush before the next wait; guarded by the poller's lock.</summary>
        public bool FlushListed { get; set; }

        public bool IsDisposed => _disposed;

        public bool WantWritable
        {
            get => _wantWritable;
            set
            {
                if (_wantWritable != value)
                {
                    _wantWritable = value;
                    owner.Changed();
                }
            }
        }

        public bool OnPollingThread => owner.OnPollingThread;

        public void FlushBeforeWait() => owner.RequestFlush(this);

        public void OnReady(SocketReadiness readiness) => onReady(readiness);

        public void MarkDisposed() => _disposed = true;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                owner.Unwatch(this);
            }
        }
    }
}
