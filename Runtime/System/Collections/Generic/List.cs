// List.cs -- List<T>: a growable array with the BCL's core members and a struct enumerator for foreach.
// Shared source: also compiled into tests/Corlib.Tests against the BCL (host parity).

namespace System.Collections.Generic
{
    public class List<T> : IEnumerable<T>
    {
        private T[] _items;
        private int _size;
        private int _version;         // changes with every modification: an enumerator then throws, as in the BCL

        public List() => _items = new T[4];

        public List(int capacity) => _items = new T[capacity < 4 ? 4 : capacity];

        public int Count => _size;

        /// <summary>As in the BCL; setting it reallocates the backing array (the old one is the collector's).</summary>
        public int Capacity
        {
            get => _items.Length;
            set
            {
                if (value < _size)
                    throw new ArgumentOutOfRangeException(nameof(value));
                if (value == _items.Length)
                    return;
                T[] items = value == 0 ? Array.Empty<T>() : new T[value];
                Array.Copy(_items, items, _size);
                _items = items;
            }
        }

        public T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_size)
                    throw new ArgumentOutOfRangeException("index");
                return _items[index];
            }
            set
            {
                if ((uint)index >= (uint)_size)
                    throw new ArgumentOutOfRangeException("index");
                _items[index] = value;
                _version++;
            }
        }

        public void Add(T item)
        {
            if (_size == _items.Length)
                Grow();
            _items[_size++] = item;
            _version++;
        }

        public void Insert(int index, T item)
        {
            if ((uint)index > (uint)_size)
                throw new ArgumentOutOfRangeException("index");
            if (_size == _items.Length)
                Grow();
            for (int i = _size; i > index; i--)
                _items[i] = _items[i - 1];
            _items[index] = item;
            _size++;
            _version++;
        }

        public int IndexOf(T item)
        {
            EqualityComparer<T> comparer = EqualityComparer<T>.Default;   // no boxing for IEquatable<T> types
            for (int i = 0; i < _size; i++)
                if (comparer.Equals(_items[i], item))
                    return i;
            return -1;
        }

        public bool Contains(T item) => IndexOf(item) >= 0;

        public bool Remove(T item)
        {
            int index = IndexOf(item);
            if (index < 0)
                return false;
            RemoveAt(index);
            return true;
        }

        public void RemoveAt(int index)
        {
            if ((uint)index >= (uint)_size)
                throw new ArgumentOutOfRangeException("index");
            _size--;
            for (int i = index; i < _size; i++)
                _items[i] = _items[i + 1];
            _items[_size] = default;
            _version++;
        }

        public void Clear()
        {
            Array.Clear(_items, 0, _size);
            _size = 0;
            _version++;
        }

        public T[] ToArray()
        {
            var result = new T[_size];
            Array.Copy(_items, result, _size);
            return result;
        }

        public Enumerator GetEnumerator() => new Enumerator(this);

        // Through the interface the enumerator is boxed, as in the BCL; foreach on a List<T> itself stays allocation-free.
        IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(this);

        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

        private void Grow()
        {
            var larger = new T[_items.Length == 0 ? 4 : _items.Length * 2];
            Array.Copy(_items, larger, _size);
            _items = larger;
        }

        public struct Enumerator : IEnumerator<T>
        {
            private readonly List<T> _list;
            private readonly int _version;
            private int _index;

            internal Enumerator(List<T> list)
            {
                _list = list;
                _version = list._version;
                _index = -1;
            }

            public bool MoveNext()
            {
                if (_version != _list._version)
                    throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.");
                return ++_index < _list._size;
            }

            public T Current => _list._items[_index];

            object IEnumerator.Current => Current;

            void IEnumerator.Reset() => throw new NotSupportedException();

            public void Dispose() { }
        }
    }
}
