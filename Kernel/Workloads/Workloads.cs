// Workloads.cs -- test workloads the shell's `run` places in resource groups, standing in for userworlds until
// those exist: `spin` (a CPU hog), `memhog MB` (takes memory until it has MB or is refused), `sleeper`,
// `newhog MB` (the same with `new`: managed arrays charged to its group's heap, GroupHeaps), `throw` (throws an exception nobody catches: the world ends, the host goes on; UnhandledExceptionPolicy) and
// `overflow` (recurses into its stack's guard page: a stack overflow is never survivable, so the panic screen).
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Worlds;

namespace Kernel.Workloads
{
    public sealed class WorkloadArguments
    {
        public int Megabytes;
    }

    public static unsafe class Workloads
    {
        public static bool TryGet(string name, out delegate*<object, void> entry)
        {
            switch (name)
            {
                case "spin":
                    entry = &Spin;
                    return true;
                case "memhog":
                    entry = &MemHog;
                    return true;
                case "newhog":
                    entry = &NewHog;
                    return true;
                case "sleeper":
                    entry = &Sleeper;
                    return true;
                case "throw":
                    entry = &Throw;
                    return true;
                case "overflow":
                    entry = &Overflow;
                    return true;
                case "gckeeper":
                    entry = &GcKeeper;
                    return true;
                default:
                    entry = null;
                    return false;
            }
        }

        public const string Names = "spin, memhog MB, newhog MB, sleeper, throw, overflow, gckeeper";

        private static byte[] s_garbage;

        private sealed class KeptNode
        {
            public KeptNode Next;
            public int Value;
            public int[] Payload;
        }

        // `gckeeper`: a list of 2,000 objects that only this world's stack references, checked over and over while
        // it makes garbage (so collections happen, on its CPU or any other). A collector that missed this world's
        // stack (it runs on another CPU) would free the list; with gcverify the freed memory is poisoned and the
        // check fails. Logs its progress at most twice a second, and `LOST` on the first mismatch (then stops checking).
        private static void GcKeeper(object argument)
        {
            KeptNode head = null;
            for (int i = 0; i < 2000; i++)
                head = new KeptNode { Next = head, Value = i, Payload = new int[] { i, i * 3 } };
            ulong lastLog = 0;
            for (ulong pass = 1; ; pass++)
            {
                long sum = 0;
                int count = 0;
                bool intact = true;
                for (KeptNode n = head; n != null; n = n.Next)
                {
                    intact &= n.Payload != null && n.Payload.Length == 2 && n.Payload[0] == n.Value && n.Payload[1] == n.Value * 3;
                    sum += n.Value;
                    count++;
                }
                if (!intact || count != 2000 || sum != 1999L * 2000 / 2)
                {
                    Log.Warning("gckeeper", string.Concat("LOST: objects only this world references changed after ", pass.ToString(), " passes"));
                    while (true)
                        Scheduler.Sleep(1000);
                }
                for (int g = 0; g < 8; g++)
                    s_garbage = new byte[512];   // a static, so the compiler cannot keep it on the stack
                // At most twice a second: more would flood the console the shell's transcript shares.
                if (pass % 250 == 0 && Kernel.Time.Clock.UptimeMilliseconds - lastLog >= 500)
                {
                    lastLog = Kernel.Time.Clock.UptimeMilliseconds;
                    Log.Info("gckeeper", string.Concat("list intact after ", pass.ToString(), " passes on cpu", Scheduler.Current.Cpu.ToString()));
                }
            }
        }

        private static void Spin(object argument)
        {
            ulong counter = 0;
            while (true)
                counter++;
        }

        // Takes 1 MiB at a time so the refusal lands close to the limit; keeps what it got until killed, so the
        // memory shows in memstats, and its death (kill or OOM) proves the memory comes back.
        private static void MemHog(object argument)
        {
            int wanted = ((WorkloadArguments)argument).Megabytes;
            World self = Scheduler.Current;
            int got = 0;
            const ulong PagesPerMegabyte = (1UL << 20) / PhysicalMemory.PageSize;
            while (got < wanted)
            {
                ulong run = WorldMemory.AllocatePages(PagesPerMegabyte);
                if (run == 0)
                    break;
                // Touch every page: the memory is really used, not just reserved.
                for (ulong offset = 0; offset < PagesPerMegabyte * PhysicalMemory.PageSize; offset += PhysicalMemory.PageSize)
                    *(ulong*)(run + offset) = offset;
                got++;
            }
            Log.Info("memhog", string.Concat(got == wanted ? "allocated " : "refused after ", got.ToString(), " MB of ",
                string.Concat(wanted.ToString(), " MB in ", self.Group.Path)));
            while (true)
                Scheduler.Sleep(1000);
        }

        // Takes MB with `new` (64 KiB arrays, kept in a list) from its group's heap. At the group's limit the
        // allocation collects once and then fails: in a user group the memory policy kills the largest world (this
        // one, usually); elsewhere it throws OutOfMemoryException, which this world catches. It keeps what it got
        // (memstats shows it as the group's heapSize) until killed; then the collector gives it back.
        private static void NewHog(object argument)
        {
            int wanted = ((WorkloadArguments)argument).Megabytes;
            World self = Scheduler.Current;
            const int ChunkBytes = 64 * 1024;
            const int ChunksPerMegabyte = (1 << 20) / ChunkBytes;
            var kept = new System.Collections.Generic.List<byte[]>(wanted * ChunksPerMegabyte);
            bool refused = false;
            try
            {
                while (kept.Count < wanted * ChunksPerMegabyte)
                {
                    byte[] chunk = new byte[ChunkBytes];
                    chunk[ChunkBytes - 1] = 1;    // really used, not just reserved
                    kept.Add(chunk);
                }
            }
            catch (System.OutOfMemoryException)
            {
                refused = true;
            }
            int got = kept.Count / ChunksPerMegabyte;
            if (refused)
            {
                // Its group is full: give back a little (the next allocation collects it) so the log line fits.
                for (int i = 0; i < 2 && kept.Count > 0; i++)
                    kept.RemoveAt(kept.Count - 1);
            }
            Log.Info("newhog", string.Concat(refused ? "out of memory after " : "allocated ", got.ToString(), " MB of ",
                string.Concat(wanted.ToString(), " MB in ", self.Group.Path)));
            while (true)
            {
                Scheduler.Sleep(1000);
                System.GC.KeepAlive(kept);
            }
        }

        private static void Throw(object argument)
        {
            Scheduler.Sleep(10);
            ThrowFromWorkload();
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void ThrowFromWorkload() => throw new System.InvalidOperationException("workload 'throw': deliberately unhandled");

        private static void Overflow(object argument) => Recurse(0);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static int Recurse(int depth)
        {
            int* scratch = stackalloc int[32];
            scratch[depth & 31] = depth;
            return Recurse(depth + 1) + scratch[(depth + 1) & 31];
        }

        private static void Sleeper(object argument)
        {
            while (true)
                Scheduler.Sleep(100);
        }
    }
}
