// LineEditor.cs -- turns typed characters into command lines: echo, backspace, Ctrl-U (kill line), Ctrl-C
// (cancel), and history on the up/down arrows. Pure logic over an ITerminal: unit-tested on the host.
//
// A line must never become a different command than the one typed:
//  - Escape sequences are parsed whole (VT100/xterm: CSI `ESC [ params intermediates final`, SS3 `ESC O x`, and
//    two-byte `ESC x`), and every one the editor does not act on is ignored whole: Delete (`ESC [ 3 ~`), Home/End,
//    the left/right arrows, function keys, and the bracketed-paste markers (`ESC [ 200 ~` / `ESC [ 201 ~`, the pasted
//    text between them is typed as usual). The up/down arrows recall history in both their CSI and SS3 forms.
//  - A line longer than MaxLine is refused whole when Enter comes ("line too long"), never cut and run.
//  - If input was lost while a line was being typed (the console driver reports it through MarkInputLost), the line
//    is discarded with a message when Enter comes, never run with a hole in it.
using System.Collections.Generic;
using System.Text;

namespace Kernel.Shell
{
    public sealed class LineEditor
    {
        /// <summary>Longest line the shell runs: a path may be PATH_MAX (4,096) long and still fit a command.</summary>
        public const int MaxLine = 8192;
        public const int MaxHistory = 64;

        /// <summary>The longest escape sequence parameter string kept track of; longer ones are still ignored whole.</summary>
        private const int MaxEscapeParameters = 16;

        private enum EscapeState : byte
        {
            None,
            AfterEscape,    // ESC
            Csi,            // ESC [ ...
            Ss3,            // ESC O
        }

        private readonly ITerminal _terminal;
        private readonly StringBuilder _line = new StringBuilder(64);
        private readonly List<string> _history = new List<string>();
        private int _historyCursor;     // == _history.Count when not browsing
        private EscapeState _escape;
        private int _escapeParameterLength;
        private bool _lastWasCarriageReturn;
        private bool _tooLong;
        private bool _inputLost;

        public LineEditor(ITerminal terminal) => _terminal = terminal;

        public int HistoryCount => _history.Count;
        public string CurrentText => _line.ToString();

        /// <summary>Writes the half-typed line again (after something else printed over the prompt); no allocation.</summary>
        public void RedrawCurrent()
        {
            for (int i = 0; i < _line.Length; i++)
                _terminal.Write(_line[i]);
        }

        /// <summary>
        /// The console lost input bytes: the line being typed (or the next one, if none is) has a hole in it and is
        /// discarded when Enter comes.
        /// </summary>
        public void MarkInputLost() => _inputLost = true;

        /// <summary>Feeds one character; returns the finished line when Enter completes one, else null.</summary>
        public string Feed(char c)
        {
            bool crlf = _lastWasCarriageReturn && c == '\n';
            _lastWasCarriageReturn = c == '\r';
            if (_escape != EscapeState.None)
            {
                FeedEscape(c);
                return null;
            }
            switch (c)
            {
                case '\u001b':
                    _escape = EscapeState.AfterEscape;
                    return null;
                case '\r':
                case '\n':
                    if (crlf)
                        return null;    // the \n of a \r\n pair: the line was already submitted
                    return Submit();
                case '\b':
                case '\u007f':
                    if (_line.Length > 0 && !_tooLong)
                    {
                        _line.Length--;
                        _terminal.Write("\b \b");
                    }
                    return null;
                case '\u0015':  // Ctrl-U
                    EraseShown();
                    _line.Clear();
                    _tooLong = false;
                    return null;
                case '\u0003':  // Ctrl-C
                    _terminal.Write("^C\n");
                    _line.Clear();
                    _tooLong = false;
                    _inputLost = false;
                    _historyCursor = _history.Count;
                    return "";
                default:
                    if (c < ' ' || c >= '\u007f')
                        return null;
                    if (_line.Length >= MaxLine)
                    {
                        // Keep swallowing the rest of the line; Enter refuses it.
                        _tooLong = true;
                        return null;
                    }
                    _line.Append(c);
                    _terminal.Write(c);
                    return null;
            }
        }

        // One character of an escape sequence. CSI: parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, then one
        // final byte 0x40-0x7E ends it. A control character inside a sequence aborts it (and is itself dropped).
        private void FeedEscape(char c)
        {
            switch (_escape)
            {
                case EscapeState.AfterEscape:
                    if (c == '[')
                    {
                        _escape = EscapeState.Csi;
                        _escapeParameterLength = 0;
                    }
                    else
                    {
                        // SS3 waits for its one byte; any other ESC x (Alt+x, ESC ESC ...) is a complete two-byte sequence.
                        _escape = c == 'O' ? EscapeState.Ss3 : EscapeState.None;
                    }
                    return;
                case EscapeState.Ss3:
                    _escape = EscapeState.None;
                    ActOnFinal(c, hasParameters: false);
                    return;
                case EscapeState.Csi:
                    if (c >= '\u0030' && c <= '\u003f')
                    {
                        if (_escapeParameterLength < MaxEscapeParameters)
                            _escapeParameterLength++;
                        return;
                    }
                    if (c >= '\u0020' && c <= '\u002f')
                        return;
                    _escape = EscapeState.None;
                    if (c >= '\u0040' && c <= '\u007e')
                        ActOnFinal(c, hasParameters: _escapeParameterLength > 0);
                    return;
            }
        }

        // The editor acts on plain up/down arrows only; modified ones (ESC [ 1 ; 5 A) and everything else are ignored.
        private void ActOnFinal(char final, bool hasParameters)
        {
            if (hasParameters)
                return;
            if (final == 'A')
                Recall(-1);
            else if (final == 'B')
                Recall(+1);
        }

        private string Submit()
        {
            _terminal.Write('\n');
            if (_tooLong || _inputLost)
            {
                _terminal.Write(_tooLong
                    ? "sh: line too long (more than 8192 characters): not run\n"
                    : "sh: input was lost while this line was typed: not run\n");
                _line.Clear();
                _tooLong = false;
                _inputLost = false;
                _historyCursor = _history.Count;
                return "";
            }
            string line = _line.ToString();
            _line.Clear();
            if (line.Trim().Length > 0 && (_history.Count == 0 || _history[_history.Count - 1] != line))
            {
                if (_history.Count == MaxHistory)
                    _history.RemoveAt(0);
                _history.Add(line);
            }
            _historyCursor = _history.Count;
            return line;
        }

        private void Recall(int direction)
        {
            int target = _historyCursor + direction;
            if (target < 0 || target > _history.Count)
                return;
            _historyCursor = target;
            EraseShown();
            _line.Clear();
            _tooLong = false;
            if (target < _history.Count)
                _line.Append(_history[target]);
            _terminal.Write(_line.ToString());
        }

        private void EraseShown()
        {
            for (int i = 0; i < _line.Length; i++)
                _terminal.Write("\b \b");
        }
    }
}
