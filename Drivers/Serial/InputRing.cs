// InputRing.cs -- a small lock-free-by-construction byte ring filled by an interrupt handler and drained with
// interrupts disabled; when full, new bytes are dropped and counted (never overwrite unread input).
namespace Drivers.Serial
{
    public unsafe struct InputRing
    {
        private const int Capacity = 1024;
        private fixed byte _bytes[Capacity];
        private int _head, _tail;
        public ulong Dropped;

        public void Put(byte value)
        {
            int next = (_head + 1) % Capacity;
            if (next == _tail)
            {
                Dropped++;
                return;
            }
            _bytes[_head] = value;
            _head = next;
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
    }
}
