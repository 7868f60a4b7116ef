// InterruptsCommand.cs -- `interrupts`: how many times each device interrupt fired (like /proc/interrupts).
using Kernel.Interrupts;

namespace Kernel.Shell.Commands
{
    internal sealed class InterruptsCommand : ShellCommand
    {
        public override string Name => "interrupts";
        public override string Summary => "interrupt counts per vector";

        public override int Run(Shell shell, string[] args)
        {
            shell.WriteLine("vector  irq        count  device");
            for (int vector = InterruptDispatch.FirstIrqVector; vector < 256; vector++)
            {
                ulong count = InterruptDispatch.CountFor(vector);
                if (count == 0 && !InterruptDispatch.HasHandler(vector))
                    continue;
                int irq = vector - InterruptDispatch.FirstIrqVector;
                string irqText = irq < 16 ? irq.ToString() : "-";
                shell.WriteLine($"{vector,6}{irqText,5}{count,13}  {InterruptDispatch.DeviceFor(vector)}");
            }
            return 0;
        }
    }
}
