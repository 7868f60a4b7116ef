// MonitorHooks.cs -- the lock operations behind System.Threading.Monitor, installed by the kernel (which owns worlds
// and sleeping mutexes). Until then every operation succeeds: early boot runs on one thread with nothing to exclude.
namespace Internal.Runtime
{
    public static unsafe class MonitorHooks
    {
        private static delegate*<object, bool, bool> s_enter;      // (obj, wait) -> taken
        private static delegate*<object, bool> s_exit;             // false: the caller does not hold it
        private static delegate*<object, bool> s_isEntered;

        public static void Install(delegate*<object, bool, bool> enter, delegate*<object, bool> exit, delegate*<object, bool> isEntered)
        {
            s_enter = enter;
            s_exit = exit;
            s_isEntered = isEntered;
        }

        internal static void Enter(object obj)
        {
            if (s_enter != null)
                s_enter(obj, true);
        }

        internal static bool TryEnter(object obj) => s_enter == null || s_enter(obj, false);
        internal static bool Exit(object obj) => s_exit == null || s_exit(obj);
        internal static bool IsEntered(object obj) => s_isEntered == null || s_isEntered(obj);
    }
}
