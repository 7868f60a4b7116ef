// Program.cs -- ILC builds an executable and wants a Main; the machine enters at KernelEntry (boot.asm) instead.
namespace Kernel.Init
{
    internal static class Program
    {
        private static void Main()
        {
        }
    }
}
