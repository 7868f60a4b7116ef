// EarlyOptions.cs -- the one kernel option that must work before memory does: `panic=exit`, so that a boot that
// cannot even build its allocator (too little memory, no memory map) still leaves QEMU with the panic status under
// test instead of halting. Scans the raw command line and the fw_cfg options in place, without allocating.
using Drivers.Platform;
using Kernel.Boot;
using Kernel.Panic;

namespace Kernel.Init
{
    internal static unsafe class EarlyOptions
    {
        private const int MaxOptionBytes = 1024;

        public static void Apply()
        {
            byte* extra = stackalloc byte[MaxOptionBytes];
            int extraLength = FwCfg.ReadFile(KernelMain.FwCfgOptionsFile, extra, MaxOptionBytes);
            bool panicExit = HasWord((byte*)BootInfo.CommandLine, BootInfo.CStringLength(BootInfo.CommandLine), "panic=exit")
                || (extraLength > 0 && HasWord(extra, extraLength, "panic=exit"));
            if (panicExit)
                PanicScreen.SetExitAction(&KernelMain.ExitAfterPanic);
        }

        private static bool HasWord(byte* text, int length, string word)
        {
            if (text == null)
                return false;
            for (int start = 0; start + word.Length <= length; start++)
            {
                if (start > 0 && text[start - 1] != ' ')
                    continue;
                int i = 0;
                while (i < word.Length && text[start + i] == word[i])
                    i++;
                if (i == word.Length && (start + i == length || text[start + i] == ' '))
                    return true;
            }
            return false;
        }
    }
}
