// GcCommand.cs -- `gc`: runs a full collection now and prints what it found: live objects and bytes before and
// after, what was freed, and the pause (TSC cycles and microseconds), then the collector's running totals. Built on
// a stack LineBuilder, so the figures are not disturbed by the command's own output.
using Internal.Runtime;
using Kernel.Text;
using Kernel.Time;

namespace Kernel.Shell.Commands
{
    internal sealed class GcCommand : ShellCommand
    {
        public override string Name => "gc";
        public override string Summary => "run the garbage collector now and print what it freed and the pause";

        public override int Run(Shell shell, string[] args)
        {
            if (!GarbageCollector.Collect(CollectionReason.Requested))
            {
                shell.WriteLine("gc: no collection ran (collections are not enabled yet)");
                return 1;
            }
            CollectionInfo info = GarbageCollector.Last;
            var line = new LineBuilder();
            line.Append("before: ");
            AppendLive(ref line, info.LiveObjectsBefore, info.LiveBytesBefore);
            Columns.WriteLine(shell, ref line);
            line.Append("after:  ");
            AppendLive(ref line, info.LiveObjectsAfter, info.LiveBytesAfter);
            Columns.WriteLine(shell, ref line);
            line.Append("freed:  ");
            line.AppendDecimal(info.FreedObjects);
            line.Append(" objects, ");
            line.AppendDecimal(info.FreedBytes);
            line.Append(" bytes");
            Columns.WriteLine(shell, ref line);
            line.Append("pause:  ");
            line.AppendDecimal(info.PauseCycles);
            line.Append(" cycles (");
            line.AppendDecimal(Microseconds(info.PauseCycles));
            line.Append(" us; mark ");
            line.AppendDecimal(Microseconds(info.MarkCycles));
            line.Append(" us), ");
            line.AppendDecimal(info.MarkedObjects);
            line.Append(" objects marked, ");
            line.AppendDecimal(info.ConservativeWords);
            line.Append(" words scanned conservatively (");
            line.AppendDecimal(info.StackWords);
            line.Append(" on stacks)");
            Columns.WriteLine(shell, ref line);
            line.Append("stacks: ");
            if (GarbageCollector.HasStackScanner)
            {
                line.AppendDecimal(info.PreciseFrames);
                line.Append(" frames by GC info (");
                line.AppendDecimal(info.PreciseSlots);
                line.Append(" live slots), ");
                line.AppendDecimal(info.ConservativeFrames);
                line.Append(" managed frames word by word");
            }
            else
            {
                line.Append("every word conservatively (gcscan=conservative)");
            }
            Columns.WriteLine(shell, ref line);
            line.Append("roots:  ");
            line.AppendDecimal(info.FrozenObjects);
            line.Append(" frozen objects walked");
            if (info.FrozenFallbacks != 0)
            {
                line.Append(", ");
                line.AppendDecimal(info.FrozenFallbacks);
                line.Append(" frozen regions scanned word by word");
            }
            line.Append("; ");
            line.AppendDecimal((ulong)HandleTableInUse());
            line.Append(" handles");
            Columns.WriteLine(shell, ref line);
            line.Append("total:  ");
            line.AppendDecimal(GarbageCollector.Collections);
            line.Append(" collections, ");
            line.AppendDecimal(Microseconds(GarbageCollector.TotalPauseCycles));
            line.Append(" us paused; next at ");
            line.AppendDecimal(GarbageCollector.Threshold / 1024);
            line.Append(" KiB in use");
            Columns.WriteLine(shell, ref line);
            return 0;
        }

        private static int HandleTableInUse() => GarbageCollector.HandlesInUse;

        private static void AppendLive(ref LineBuilder line, ulong objects, ulong bytes)
        {
            line.AppendDecimal(objects);
            line.Append(" objects, ");
            line.AppendDecimal(bytes);
            line.Append(" bytes live");
        }

        private static ulong Microseconds(ulong cycles) => Clock.TscHz == 0 ? 0 : cycles * 1000 / (Clock.TscHz / 1000);
    }
}
