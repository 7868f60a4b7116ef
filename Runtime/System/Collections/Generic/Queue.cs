// Queue.cs -- Queue<T>: a first-in first-out ring buffer with the BCL's members. Shared source: also compiled into
// tests/Corlib.Tests against the BCL (host parity).
namespace System.Collections.Generic
{
    public class Queue<T> : IEnumerable<T>
    {
        private T[] _ring;
        private int _head;            // the oldest element
        private int _size;
        private int _version;

        public Queue() => _ring = new T[4];

        public Queue(int capacity)
        {
            if (capacity < 0)
                throw new ArgumentOutOfRangeException(nameof(capacity));
            _ring = new T[capacity < 4 ? 4 : capacity];
        }

        public int Count => _size;

        public void Enqueue(T item)
        {
            if (_size == _ring.Length)
                Grow();
            _ring[(_head + _size) % _ring.Length] = item;
            _size++;
            _version++;
        }

        public T Dequeue()
        {
            if (!TryDequeue(out T item))
                throw new InvalidOperationException("Queue empty.");
            return item;
        }

        public bool TryDequeue(out T result)
        {
            if (_size == 0)
            {
                result = default;
                return false;
            }
            result = _ring[_head];
            _ring[_head] = default;   // the collector must not keep a dequeued object alive
            _head = (_head + 1) % _ring.Length;
            _size--;
            _version++;
            return true;
        }

        public T Peek()
        {
            if (_size == 0)
                throw new InvalidOperationException("Queue empty.");
            return _ring[_head];
        }

        public bool TryPeek(out T result)
        {
            result = _size == 0 ? default : _ring[_head];
            return _size != 0;
        }

        public bool Contains(T item)
        {
            EqualityComparer<T> comparer = EqualityComparer<T>.Default;
            for (int i = 0; i < _size; i++)
                if (comparer.Equals(_ring[(_head + i) % _ring.Length], item))
                    return true;
            return false;
        }

        public void Clear()
        {
            for (int i = 0; i < _size; i++)
                _ring[(_head + i) % _ring.Length] = default;
            _head = 0;
            _size = 0;
            _version++;
        }

        public T[] ToArray()
        {
            var result = new T[_size];
            for (int i = 0; i < _size; i++)
                result[i] = _ring[(_head + i) % _ring.Length];
            return result;
        }

        public Enumerator GetEnumerator() => new Enumerator(this);

        IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(this);

        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

        private void Grow()
        {
            var larger = new T[_ring.Length * 2];
            for (int i = 0; i < _size; i++)
                larger[i] = _ring[(_head + i) % _ring.Length];
            _ring = larger;
            _head = 0;
        }

        public struct Enumerator : IEnumerator<T>
        {
            private readonly Queue<T> _queue;
            private readonly int _version;
            private int _index;

            internal Enumerator(Queue<T> queue)
            {
                _queue = queue;
                _version = queue._version;
                _index = -1;
            }

            public bool MoveNext()
            {
                if (_version != _queue._version)
                    throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.");
                return ++_index < _queue._size;
            }

            public T Current => _queue._ring[(_queue._head + _index) % _queue._ring.Length];

            object IEnumerator.Current => Current;

            void IEnumerator.Reset() => throw new NotSupportedException();

            public void Dispose() { }
        }
    }
}
