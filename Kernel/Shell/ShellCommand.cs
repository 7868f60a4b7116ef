// ShellCommand.cs -- one shell command: its name, a one-line summary for `help`, and what it does.
namespace Kernel.Shell
{
    public abstract class ShellCommand
    {
        public abstract string Name { get; }
        public abstract string Summary { get; }

        /// <summary>Runs the command; returns its exit status (0 = success).</summary>
        public abstract int Run(Shell shell, string[] args);
    }
}
