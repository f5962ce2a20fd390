namespace CtdbInterop.Recoverd.Core.Takeover;

/// <summary>One entry of GET_IFACES: the name and link state (1 up, 0 down).</summary>
public readonly record struct InterfaceInfo(string Name, ushort LinkState);
