// InputRing.cs -- the console's receive ring, filled by the UART interrupt handler and drained with interrupts
// disabled. It never overwrites unread input: the UART driver stops taking bytes when the ring is full (back-pressure,
// see Uart16550), so a byte is lost only where the hardware itself overran, and that is counted.
namespace Drivers.Serial
{
    public unsafe struct InputRing
    {
        /// <summary>16 KiB: a pasted page of commands fits while the shell is busy; beyond it, back-pressure.</summary>
        public const int Capacity = 16384;
        private fixed byte _bytes[Capacity];
        private int _head, _tail;
        public ulong Dropped;

        /// <summary>Stores a byte; false (and the byte counted as dropped) when the ring is full.</summary>
        public bool Put(byte value)
        {
            int next = (_head + 1) % Capacity;
            if (next == _tail)
            {
                Dropped++;
                return false;
            }
            _bytes[_head] = value;
            _head = next;
            return true;
        }

        public int Take()
        {
            if (_tail == _head)
                return -1;
            byte value = _bytes[_tail];
            _tail = (_tail + 1) % Capacity;
            return value;
        }

        public bool IsEmpty => _tail == _head;

        /// <summary>Drops every stored byte up to and including the last <paramref name="value"/>; false if none.</summary>
        public bool DiscardThroughLast(byte value)
        {
            int found = -1;
            for (int i = _tail; i != _head; i = (i + 1) % Capacity)
                if (_bytes[i] == value)
                    found = i;
            if (found < 0)
                return false;
            _tail = (found + 1) % Capacity;
            return true;
        }

        /// <summary>Bytes that can still be stored.</summary>
        public int Free => (_tail - _head - 1 + Capacity) % Capacity;
    }
}
