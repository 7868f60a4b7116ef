// CurrentWorld.cs -- the identity of what runs on this CPU, for log lines and the panic screen: plain values the
// scheduler updates on every switch, readable at any time (even before static data exists or while panicking).
namespace Kernel.Worlds
{
    public static class CurrentWorld
    {
        public static int Cpu;
        public static int Id = 1;
        private static string s_name;

        /// <summary>Readable before static data exists (early panics): falls back to the boot world's name.</summary>
        public static string Name
        {
            get => KernelState.StaticsReady && s_name != null ? s_name : "init";
            set => s_name = value;
        }
    }
}
