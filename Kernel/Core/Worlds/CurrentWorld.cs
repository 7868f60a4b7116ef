// CurrentWorld.cs -- the identity of what is running on this CPU, for log lines and the panic screen.
// Until the scheduler exists the only world is the boot world; the scheduler will set these on every switch.
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
