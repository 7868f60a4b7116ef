// Shell.cs -- the kernel-mode shell on serial and the console (until userworlds exist): prompt
// `[root@HOSTNAME:CWD] `, a line editor, word splitting, and dispatch to the registered commands.
using System;
using System.Collections.Generic;
using Drivers.Input;
using Drivers.Serial;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Logging;
using Kernel.VisorFs;

namespace Kernel.Shell
{
    public sealed unsafe class Shell : ITerminal
    {
        private readonly List<ShellCommand> _commands = new List<ShellCommand>();
        private readonly LineEditor _editor;
        private ulong _droppedSeen;

        public string HostName { get; }
        public string WorkingDirectory { get; set; } = "/";
        public CommandTable Commands => new CommandTable(_commands);

        public Shell(string hostName)
        {
            HostName = hostName;
            _editor = new LineEditor(this);
            BuiltinCommands.Register(_commands);
        }

        // Output of a command whose output is redirected (`cmd > FILE`): streamed into the file in bounded chunks.
        private RedirectedOutput _redirect;
        // Output of a command run without a terminal (cron), kept for the log: at most MaxCapturedChars of it.
        private System.Text.StringBuilder _capture;

        /// <summary>How much of a captured command's output is kept (the rest is dropped, the log line says so).</summary>
        public const int MaxCapturedChars = 4096;

        private bool _captureTruncated;

        public void Write(char c)
        {
            if (_redirect != null)
                _redirect.Write(c);
            else if (_capture != null)
                Capture(c);
            else
                KernelOutput.Write(c);
        }

        public void Write(string text)
        {
            if (_redirect != null)
                _redirect.Write(text);
            else if (_capture != null)
            {
                for (int i = 0; i < text.Length; i++)
                    Capture(text[i]);
            }
            else
                KernelOutput.Write(text);
        }

        private void Capture(char c)
        {
            if (_capture.Length < MaxCapturedChars)
                _capture.Append(c);
            else
                _captureTruncated = true;
        }

        public void WriteLine(string text)
        {
            if (_redirect == null && _capture == null)
            {
                KernelOutput.WriteLine(text);   // one piece: a log line cannot land inside it
                return;
            }
            Write(text);
            Write('\n');
        }

        /// <summary>Error text goes to the terminal even while output is redirected (stderr), as one piece.</summary>
        public void WriteError(string text) => KernelOutput.WriteLine(text);

        // The prompt written piece by piece: no string per command line.
        private void WritePrompt()
        {
            Write("[root@");
            Write(HostName);
            Write(':');
            Write(WorkingDirectory == "/" ? "~" : WorkingDirectory);
            Write("] ");
        }

        /// <summary>The status of a command stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
        public const int InterruptedStatus = 130;

        /// <summary>
        /// Whether Ctrl-C was typed since the command started (consumes it and prints `^C`): long-running commands
        /// poll this between steps and stop, failing with <see cref="InterruptedStatus"/>.
        /// </summary>
        public bool Interrupted()
        {
            if (!Uart16550.TakeInterrupt())
                return false;
            WriteLine("^C");
            return true;
        }

        // The interactive shell, for the log's prompt keeper; `_atPrompt` while it waits for a line.
        private static Shell s_interactive;
        private bool _atPrompt;

        private static bool KeepPrompt(bool redraw)
        {
            Shell shell = s_interactive;
            if (shell == null || !shell._atPrompt)
                return false;
            if (redraw)
            {
                shell.WritePrompt();
                shell._editor.RedrawCurrent();
            }
            return true;
        }

        public void Run()
        {
            s_interactive = this;
            Log.SetConsolePrompt(&KeepPrompt);
            WritePrompt();
            _atPrompt = true;
            while (true)
            {
                int c = Uart16550.ReadByte();
                if (c < 0)
                    c = Ps2Keyboard.ReadByte();
                if (c < 0)
                {
                    // Nothing typed: block until a serial or keyboard interrupt says there is input.
                    KernelInput.WaitForInput();
                    continue;
                }
                if (c == 3)
                    Uart16550.ClearInterrupt();   // a Ctrl-C at the prompt cancels the line, not the next command
                ulong dropped = Uart16550.DroppedBytes;
                if (dropped != _droppedSeen)
                {
                    _droppedSeen = dropped;
                    _editor.MarkInputLost();
                }
                string line = _editor.Feed((char)c);
                if (line == null)
                    continue;
                _atPrompt = false;
                Execute(line);
                WritePrompt();
                _atPrompt = true;
            }
        }

        public int Execute(string line)
        {
            if (!Redirection.TrySplit(line, out string command, out string target, out bool append))
            {
                WriteError("sh: syntax error: missing file name after '>'");
                return 2;
            }
            string[] words = SplitWords(command);
            if (words.Length == 0 && target == null)
                return 0;
            Log.Debug("Shell", string.Concat("cmd: ", line));
            if (target == null)
                return Dispatch(words);
            // As sh: the file is created (or truncated) first; if it cannot be, the command does not run.
            Errno opened = RedirectedOutput.Open(WorkingDirectory, target, append, out RedirectedOutput output);
            if (opened != Errno.Ok)
                return Redirection.Fail(this, target, opened);
            RedirectedOutput outer = _redirect;
            _redirect = output;
            int status;
            try
            {
                status = Dispatch(words);
                output.Flush();
            }
            finally
            {
                _redirect = outer;
            }
            return output.Error == Errno.Ok ? status : Redirection.Fail(this, target, output.Error);
        }

        private int Dispatch(string[] words)
        {
            if (words.Length == 0)
                return 0;
            // Commands are built in; `/sbin/auto-backup.sh` (as a crontab names it) finds `auto-backup.sh`.
            string name = words[0];
            int slash = name.LastIndexOf('/');
            if (slash >= 0 && slash < name.Length - 1)
                name = name.Substring(slash + 1);
            for (int i = 0; i < _commands.Count; i++)
                if (_commands[i].Name == name)
                    return _commands[i].FailsAlone ? RunFailingAlone(_commands[i], name, words) : _commands[i].Run(this, words);
            return NotBuiltIn(words);
        }

        // A path that is no built-in is a program (a static ELF executable run as a userworld); anything else is not
        // found. Kept out of Dispatch so that stays small enough to inline into Execute (backtraces name Execute).
        private int NotBuiltIn(string[] words)
        {
            if (words[0].IndexOf('/') >= 0 && ProgramRunner.TryRun(this, words, out int status))
                return status;
            WriteError(string.Concat("sh: ", words[0], ": not found"));
            return 127;
        }

        // The command boundary: an exception a command did not handle fails that command with a message (and its
        // backtrace in the log), and the prompt comes back. Running out of memory is the expected case: while the
        // command runs, a `new` the heap cannot serve throws OutOfMemoryException instead of stopping the kernel
        // (World.FailableRequests, AllocationFailurePolicy); anything else is a bug reported as one.
        // The out-of-memory report is written after the catch block: inside it the failed command's frames are still
        // on the stack, and everything they reference is still live until the handler returns.
        private int RunFailingAlone(ShellCommand command, string name, string[] words)
        {
            Worlds.World self = Worlds.Scheduler.Current;
            bool outOfMemory = false;
            if (self != null)
                self.BeginFailableRequest();
            try
            {
                return command.Run(this, words);
            }
            catch (OutOfMemoryException)
            {
                outOfMemory = true;
            }
            catch (Exception e)
            {
                WriteError(string.Concat("sh: ", name, ": internal error: ", Internal.Runtime.ExceptionHandling.ExceptionText.TypeName(e), ": ", e.Message));
                Log.Warning("Shell", string.Concat("'", name, "' failed with ", e.ToString()));
                return 1;
            }
            finally
            {
                if (self != null)
                    self.EndFailableRequest();
            }
            if (outOfMemory)
            {
                WriteError(string.Concat("sh: ", name, ": out of memory"));
                Log.Warning("Shell", string.Concat("'", name, "' failed: out of memory"));
            }
            return 1;
        }

        /// <summary>Runs a command line without a terminal (cron): returns its status, its output in <paramref name="output"/>.</summary>
        /// <remarks>At most <see cref="MaxCapturedChars"/> of the output is kept: a job printing megabytes (`cat` of
        /// a large file) must not hold them in the heap for one log line.</remarks>
        public int RunCaptured(string line, out string output)
        {
            _capture = new System.Text.StringBuilder();
            _captureTruncated = false;
            int status = Execute(line);
            output = _captureTruncated ? string.Concat(_capture.ToString(), " [output truncated]") : _capture.ToString();
            _capture = null;
            return status;
        }

        /// <summary>Splits on spaces; double quotes group words (`echo "a b"`).</summary>
        /// <remarks>Two passes (count, then copy) through one scratch buffer: one array of words, no growing list.</remarks>
        public static string[] SplitWords(string line)
        {
            char[] scratch = new char[line.Length + 1];
            var words = new string[ScanWords(line, scratch, null)];
            ScanWords(line, scratch, words);
            return words;
        }

        // Counts the words of `line`; with `into`, also makes them (each from `scratch`, which holds one word).
        private static int ScanWords(string line, char[] scratch, string[] into)
        {
            int count = 0;
            int length = 0;
            bool inQuotes = false, any = false;
            for (int i = 0; i <= line.Length; i++)
            {
                char c = i < line.Length ? line[i] : ' ';
                if (c == '"' && i < line.Length)
                {
                    inQuotes = !inQuotes;
                    any = true;
                }
                else if ((c == ' ' || c == '\t') && (!inQuotes || i == line.Length))
                {
                    if (any)
                    {
                        if (into != null)
                            into[count] = new string(scratch, 0, length);
                        count++;
                    }
                    length = 0;
                    any = false;
                }
                else
                {
                    scratch[length++] = c;
                    any = true;
                }
            }
            return count;
        }
    }

    /// <summary>Read-only view of the registered commands (for `help`).</summary>
    public readonly struct CommandTable
    {
        private readonly List<ShellCommand> _list;
        public CommandTable(List<ShellCommand> list) => _list = list;
        public int Count => _list.Count;
        public ShellCommand this[int index] => _list[index];
    }
}
