// ShellCommand.cs -- one shell command: its name, a one-line summary for `help`, and what it does.
namespace Kernel.Shell
{
    public abstract class ShellCommand
    {
        public abstract string Name { get; }
        public abstract string Summary { get; }

        /// <summary>
        /// Whether an exception escaping <see cref="Run"/> fails only this command (the default: a bug or an exhausted
        /// allocation in one request must not take the host down). `crash` says no: its job is the panic screen.
        /// </summary>
        public virtual bool FailsAlone => true;

        /// <summary>Runs the command; returns its exit status (0 = success).</summary>
        public abstract int Run(Shell shell, string[] args);
    }
}
