// CrashCommand.cs -- `crash`: a deliberate kernel panic (a null dereference), for testing the panic screen.
using System.Runtime.CompilerServices;

namespace Kernel.Shell.Commands
{
    internal sealed unsafe class CrashCommand : ShellCommand
    {
        public override string Name => "crash";
        public override string Summary => "panic the kernel on purpose (tests the panic screen)";

        public override int Run(Shell shell, string[] args)
        {
            shell.WriteLine("crash: dereferencing a null pointer on purpose");
            CrashByNullDereference(0);
            return 1;
        }

        // Its own non-inlined method, so the panic backtrace names it.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void CrashByNullDereference(ulong address) => *(ulong*)address = 0xDEAD;
    }
}
