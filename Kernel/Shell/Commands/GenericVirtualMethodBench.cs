// GenericVirtualMethodBench.cs -- `bench` rows for generic virtual method calls after the first (the resolution
// cached): a value-type instantiation (plain code pointer) and a reference-type one (shared code through a fat
// pointer and its dictionary), next to an ordinary virtual call. See docs/Runtime.md.
using System.Runtime.CompilerServices;
using Kernel.Arch;

namespace Kernel.Shell.Commands
{
    internal static class GenericVirtualMethodBench
    {
        private class Target
        {
            public virtual int Plain(int value) => value;
            public virtual int Generic<T>(T value) => 1;
        }

        private sealed class Override : Target
        {
            public override int Plain(int value) => value + 1;
            public override int Generic<T>(T value) => 2;
        }

        private static Target s_target;
        private static int s_sink;

        // The receiver comes from a static, so ILC can neither see its type nor devirtualize the call.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Target Receiver() => s_target;

        public static ulong TimeVirtualCall(int n)
        {
            s_target = new Override();
            Target target = Receiver();
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
                s_sink += target.Plain(i);
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            return cycles;
        }

        public static ulong TimeValueTypeCall(int n)
        {
            s_target = new Override();
            Target target = Receiver();
            s_sink += target.Generic(0);                   // the first call resolves and fills the cache: not timed
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
                s_sink += target.Generic(i);
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            return cycles;
        }

        public static ulong TimeReferenceTypeCall(int n)
        {
            s_target = new Override();
            Target target = Receiver();
            string text = "x";
            s_sink += target.Generic(text);
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
                s_sink += target.Generic(text);
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            return cycles;
        }
    }
}
