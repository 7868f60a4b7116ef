// FakeShell.cs -- an in-memory SerialConsole that behaves like the kernel's shell, for ExecScript tests without QEMU.
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Unit;

public sealed class FakeShell : SerialConsole
{
    private readonly Dictionary<string, string> _responses;
    private string _line = "";

    public FakeShell(Dictionary<string, string>? responses = null, bool splitChunks = false)
    {
        _responses = responses ?? new() { ["uname -a"] = "VMkernel fake" };
        SplitChunks = splitChunks;
    }

    /// <summary>Deliver output one character at a time (a prompt split over many reads).</summary>
    public bool SplitChunks { get; }

    public bool Killed { get; private set; }

    /// <summary>Prints a boot banner and the prompt, with escape sequences as GRUB would.</summary>
    public void Boot() => Emit("\x1b[2J\x1b[1;1HBooting\r\nvmk: Boot complete tsc=42\r\n" + ShellPrompt.Example);

    public void Emit(string text)
    {
        if (SplitChunks)
        {
            foreach (char c in text)
            {
                OnReceived(c.ToString());
            }
        }
        else
        {
            OnReceived(text);
        }
    }

    public void Exit(int code) => OnExited(code);

    public override Task SendAsync(string text, CancellationToken cancellationToken = default)
    {
        foreach (char c in text)
        {
            if (c is '\r' or '\n')
            {
                Emit("\r\n");
                Execute(_line);
                _line = "";
            }
            else
            {
                _line += c;
                Emit(c.ToString());
            }
        }
        return Task.CompletedTask;
    }

    public override void Kill()
    {
        Killed = true;
        OnExited(137);
    }

    private void Execute(string command)
    {
        switch (command)
        {
            case "":
                break;
            case "poweroff":
                Emit("Powering off\r\n");
                OnExited(0);
                return;
            case "crash":
                Emit("@BlueScreen: PANIC\r\n@BlueScreen: #0 Shell.Crash\r\n");
                OnExited(ExitCodes.QemuPanicExit);
                return;
            case "crash-halt":
                // panic=halt: the screen ends and the guest stays up.
                Emit("@BlueScreen: PANIC\r\n@BlueScreen: No core dump: the kernel is halted.\r\n");
                return;
            case "reboot":
                // The runner boots with -no-reboot: a reset ends QEMU with 0.
                Emit("Rebooting\r\n");
                OnExited(0);
                return;
            case "hang":
                return;
            case "quit":
                OnExited(1);
                return;
            default:
                Emit(_responses.TryGetValue(command, out var output) ? output + "\r\n" : $"sh: {command}: not found\r\n");
                break;
        }
        // The kernel may log right after printing the prompt.
        Emit(ShellPrompt.Example);
        if (command == "logafter")
        {
            Emit("\r\nvmk: some log line\r\n");
        }
    }
}
