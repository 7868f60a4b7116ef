// LogRing.cs -- a fixed ring of characters holding the most recent log lines (allocation-free; the oldest
// lines are overwritten). Pure logic over a caller-provided buffer: unit-tested on the host.
namespace Kernel.Logging
{
    public unsafe struct LogRing
    {
        private char* _buffer;
        private int _capacity;
        private long _written;   // total characters ever appended
        private bool _lostNewline;   // the newest overwritten character was '\n': the oldest held line is whole

        public void Initialize(char* buffer, int capacity)
        {
            _buffer = buffer;
            _capacity = capacity;
            _written = 0;
            _lostNewline = false;
        }

        public long TotalWritten => _written;
        public int Count => _written < _capacity ? (int)_written : _capacity;

        public void Append(char c)
        {
            if (_written >= _capacity)
                _lostNewline = _buffer[_written % _capacity] == '\n';
            _buffer[_written % _capacity] = c;
            _written++;
        }

        /// <summary>The i-th oldest character still held.</summary>
        public char At(int i)
        {
            long start = _written - Count;
            return _buffer[(start + i) % _capacity];
        }

        /// <summary>Index of the first character of the oldest complete line (skips a line cut by wrap-around).</summary>
        public int FirstLineStart()
        {
            if (_written <= _capacity || _lostNewline)
                return 0;
            int count = Count;
            for (int i = 0; i < count; i++)
                if (At(i) == '\n')
                    return i + 1;
            return count;
        }
    }
}
