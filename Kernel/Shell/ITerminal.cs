// ITerminal.cs -- where the shell writes: the serial port and the screen in the kernel, a buffer in host tests.
namespace Kernel.Shell
{
    public interface ITerminal
    {
        void Write(char c);
        void Write(string text);
    }
}
