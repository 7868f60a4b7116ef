// LineEditor.cs -- turns typed characters into command lines: echo, backspace, Ctrl-U (kill line), Ctrl-C
// (cancel), and history on the up/down arrows (ANSI `ESC [ A` / `ESC [ B`, which the PS/2 driver also produces).
// Pure logic over an ITerminal: unit-tested on the host.
using System.Collections.Generic;
using System.Text;

namespace Kernel.Shell
{
    public sealed class LineEditor
    {
        public const int MaxLine = 512;
        public const int MaxHistory = 64;

        private readonly ITerminal _terminal;
        private readonly StringBuilder _line = new StringBuilder(64);
        private readonly List<string> _history = new List<string>();
        private int _historyCursor;     // == _history.Count when not browsing
        private int _escape;            // 0 none, 1 after ESC, 2 after ESC [
        private bool _lastWasCarriageReturn;

        public LineEditor(ITerminal terminal) => _terminal = terminal;

        public int HistoryCount => _history.Count;
        public string CurrentText => _line.ToString();

        /// <summary>Feeds one character; returns the finished line when Enter completes one, else null.</summary>
        public string Feed(char c)
        {
            bool crlf = _lastWasCarriageReturn && c == '\n';
            _lastWasCarriageReturn = c == '\r';
            if (_escape == 1)
            {
                _escape = c == '[' ? 2 : 0;
                return null;
            }
            if (_escape == 2)
            {
                _escape = 0;
                if (c == 'A')
                    Recall(-1);
                else if (c == 'B')
                    Recall(+1);
                return null;
            }
            switch (c)
            {
                case '\u001b':
                    _escape = 1;
                    return null;
                case '\r':
                case '\n':
                    if (crlf)
                        return null;    // the \n of a \r\n pair: the line was already submitted
                    return Submit();
                case '\b':
                case '\u007f':
                    if (_line.Length > 0)
                    {
                        _line.Length--;
                        _terminal.Write("\b \b");
                    }
                    return null;
                case '\u0015':  // Ctrl-U
                    EraseShown();
                    _line.Clear();
                    return null;
                case '\u0003':  // Ctrl-C
                    _terminal.Write("^C\n");
                    _line.Clear();
                    _historyCursor = _history.Count;
                    return "";
                default:
                    if (c >= ' ' && c < '\u007f' && _line.Length < MaxLine)
                    {
                        _line.Append(c);
                        _terminal.Write(c);
                    }
                    return null;
            }
        }

        private string Submit()
        {
            _terminal.Write('\n');
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
