namespace CtdbInterop.Recoverd.Cluster;

/// <summary>Opens the connection to ctdbd (a socket in production, a simulated node in the simulator).</summary>
internal interface ICtdbdConnector
{
    /// <summary>Throws <see cref="System.Net.Sockets.SocketException"/> or <see cref="TimeoutException"/> when ctdbd cannot be reached.</summary>
    Task<ICtdbdGateway> ConnectAsync(CancellationToken ct);
}
