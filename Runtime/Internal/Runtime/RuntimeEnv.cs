// RuntimeEnv.cs -- the runtime's one way out: fatal errors go to the panic handler the kernel installs.
namespace Internal.Runtime
{
    public static unsafe class RuntimeEnv
    {
        private static delegate*<string, void> s_panic;

        public static void SetPanicHandler(delegate*<string, void> panic) => s_panic = panic;

        /// <summary>Ends the kernel: a runtime invariant broke (a throw, a failed cast, an exhausted heap).</summary>
        public static void FailFast(string message)
        {
            if (s_panic != null)
                s_panic(message);
            while (true)
            {
            }
        }
    }
}
