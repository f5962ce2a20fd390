namespace CtdbInterop.Bindings;
