// KernelVersion.cs -- product name, version and build, shown by uname and the panic screen.
namespace Kernel
{
    public static class KernelVersion
    {
        public const string Product = "VMkernel-CS";
        public const string Version = "0.1.0";
        public const string Build = BuildInfo.Build;
    }
}
