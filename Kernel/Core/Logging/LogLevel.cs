// LogLevel.cs -- severity of a vmkernel log line; Warning and Alert are spelled out in the line as on ESXi.
namespace Kernel.Logging
{
    public enum LogLevel
    {
        Debug = 0,
        Info = 1,
        Warning = 2,
        Alert = 3,
    }
}
