// Dictionary.cs -- Dictionary<TKey,TValue>: a hash table with the BCL's core members, chained through an entry array.
// Shared source: compiled into the kernel against Runtime and into tests/Corlib.Tests against the BCL (host parity).
namespace System.Collections.Generic
{
    public class Dictionary<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    {
        // Entries live in one array in insertion order; each bucket holds 1 + the index of its chain's first entry
        // (0 = empty), so a fresh array needs no initialization. A removed entry joins a free list that the next Add
        // reuses first, which keeps enumeration order the BCL's: insertion order, a removed slot refilled in place.
        private struct Entry
        {
            public uint HashCode;
            public int Next;          // index of the next entry in the chain, -1 at its end; in the free list: -3 - next free
            public TKey Key;
            public TValue Value;
        }

        private const int StartOfFreeList = -3;

        private int[] _buckets;
        private Entry[] _entries;
        private int _count;           // entries ever used (live or free)
        private int _freeList = -1;
        private int _freeCount;
        private int _version;
        private readonly IEqualityComparer<TKey> _comparer;

        public Dictionary() : this(0, null) { }

        public Dictionary(int capacity) : this(capacity, null) { }

        public Dictionary(IEqualityComparer<TKey> comparer) : this(0, comparer) { }

        public Dictionary(int capacity, IEqualityComparer<TKey> comparer)
        {
            if (capacity < 0)
                throw new ArgumentOutOfRangeException(nameof(capacity));
            if (capacity > 0)
                Initialize(capacity);
            _comparer = comparer ?? EqualityComparer<TKey>.Default;
        }

        public int Count => _count - _freeCount;

        public IEqualityComparer<TKey> Comparer => _comparer;

        public TValue this[TKey key]
        {
            get
            {
                int i = FindEntry(key);
                if (i < 0)
                    throw new KeyNotFoundException(string.Concat("The given key '", key.ToString(), "' was not present in the dictionary."));
                return _entries[i].Value;
            }
            set => Insert(key, value, overwrite: true);
        }

        public void Add(TKey key, TValue value)
        {
            if (!Insert(key, value, overwrite: false))
                throw new ArgumentException(string.Concat("An item with the same key has already been added. Key: ", key.ToString()));
        }

        public bool TryAdd(TKey key, TValue value) => Insert(key, value, overwrite: false);

        public bool ContainsKey(TKey key) => FindEntry(key) >= 0;

        public bool ContainsValue(TValue value)
        {
            EqualityComparer<TValue> values = EqualityComparer<TValue>.Default;
            for (int i = 0; i < _count; i++)
                if (_entries[i].Next >= -1 && values.Equals(_entries[i].Value, value))
                    return true;
            return false;
        }

        public bool TryGetValue(TKey key, out TValue value)
        {
            int i = FindEntry(key);
            if (i < 0)
            {
                value = default;
                return false;
            }
            value = _entries[i].Value;
            return true;
        }

        public bool Remove(TKey key) => Remove(key, out _);

        public bool Remove(TKey key, out TValue value)
        {
            if (key == null)
                throw new ArgumentNullException(nameof(key));
            value = default;
            if (_buckets == null)
                return false;
            uint hash = Hash(key);
            ref int bucket = ref _buckets[BucketOf(hash)];
            int last = -1;
            for (int i = bucket - 1; i >= 0; last = i, i = _entries[i].Next)
            {
                ref Entry entry = ref _entries[i];
                if (entry.HashCode != hash || !_comparer.Equals(entry.Key, key))
                    continue;
                if (last < 0)
                    bucket = entry.Next + 1;
                else
                    _entries[last].Next = entry.Next;
                value = entry.Value;
                entry.Next = StartOfFreeList - _freeList;
                entry.Key = default;      // the collector must not keep a removed key or value alive
                entry.Value = default;
                _freeList = i;
                _freeCount++;
                return true;
            }
            return false;
        }

        public void Clear()
        {
            if (_count == 0)
                return;
            Array.Clear(_buckets, 0, _buckets.Length);
            for (int i = 0; i < _count; i++)
                _entries[i] = default;
            _count = 0;
            _freeList = -1;
            _freeCount = 0;
        }

        public KeyCollection Keys => new KeyCollection(this);
        public ValueCollection Values => new ValueCollection(this);

        public Enumerator GetEnumerator() => new Enumerator(this);

        IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() => new Enumerator(this);

        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(this);

        private uint Hash(TKey key) => (uint)_comparer.GetHashCode(key);

        // Buckets are a power of two; Fibonacci hashing spreads identity hashes (small ints, aligned addresses).
        private int BucketOf(uint hash) => (int)((hash * 2654435769u) >> (32 - Log2(_buckets.Length)));

        private static int Log2(int powerOfTwo)
        {
            int n = 0;
            while ((1 << n) < powerOfTwo)
                n++;
            return n;
        }

        private void Initialize(int capacity)
        {
            int size = 4;
            while (size < capacity)
                size *= 2;
            _buckets = new int[size];
            _entries = new Entry[size];
        }

        private int FindEntry(TKey key)
        {
            if (key == null)
                throw new ArgumentNullException(nameof(key));
            if (_buckets == null)
                return -1;
            uint hash = Hash(key);
            for (int i = _buckets[BucketOf(hash)] - 1; i >= 0; i = _entries[i].Next)
                if (_entries[i].HashCode == hash && _comparer.Equals(_entries[i].Key, key))
                    return i;
            return -1;
        }

        private bool Insert(TKey key, TValue value, bool overwrite)
        {
            if (key == null)
                throw new ArgumentNullException(nameof(key));
            if (_buckets == null)
                Initialize(0);
            uint hash = Hash(key);
            for (int i = _buckets[BucketOf(hash)] - 1; i >= 0; i = _entries[i].Next)
            {
                if (_entries[i].HashCode == hash && _comparer.Equals(_entries[i].Key, key))
                {
                    if (!overwrite)
                        return false;
                    // As in the BCL (since .NET Core 3.0), overwriting, removing and clearing leave enumerators valid.
                    _entries[i].Value = value;
                    return true;
                }
            }
            int index;
            if (_freeCount > 0)
            {
                index = _freeList;
                _freeList = StartOfFreeList - _entries[index].Next;
                _freeCount--;
            }
            else
            {
                if (_count == _entries.Length)
                    Resize();
                index = _count++;
            }
            ref int bucket = ref _buckets[BucketOf(hash)];
            ref Entry entry = ref _entries[index];
            entry.HashCode = hash;
            entry.Key = key;
            entry.Value = value;
            entry.Next = bucket - 1;
            bucket = index + 1;
            _version++;
            return true;
        }

        // Only called with no free entries, so the entry array has no holes and keeps its order.
        private void Resize()
        {
            int size = _entries.Length * 2;
            var entries = new Entry[size];
            Array.Copy(_entries, entries, _count);
            _entries = entries;
            _buckets = new int[size];
            for (int i = 0; i < _count; i++)
            {
                ref int bucket = ref _buckets[BucketOf(_entries[i].HashCode)];
                _entries[i].Next = bucket - 1;
                bucket = i + 1;
            }
        }

        public struct Enumerator : IEnumerator<KeyValuePair<TKey, TValue>>
        {
            private readonly Dictionary<TKey, TValue> _dictionary;
            private readonly int _version;
            private int _index;
            private KeyValuePair<TKey, TValue> _current;

            internal Enumerator(Dictionary<TKey, TValue> dictionary)
            {
                _dictionary = dictionary;
                _version = dictionary._version;
                _index = 0;
                _current = default;
            }

            public bool MoveNext()
            {
                if (_version != _dictionary._version)
                    throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.");
                while (_index < _dictionary._count)
                {
                    ref Entry entry = ref _dictionary._entries[_index++];
                    if (entry.Next >= -1)
                    {
                        _current = new KeyValuePair<TKey, TValue>(entry.Key, entry.Value);
                        return true;
                    }
                }
                _current = default;
                return false;
            }

            public KeyValuePair<TKey, TValue> Current => _current;

            object IEnumerator.Current => Current;

            void IEnumerator.Reset() => throw new NotSupportedException();

            public void Dispose() { }
        }

        public sealed class KeyCollection : IEnumerable<TKey>
        {
            private readonly Dictionary<TKey, TValue> _dictionary;

            internal KeyCollection(Dictionary<TKey, TValue> dictionary) => _dictionary = dictionary;

            public int Count => _dictionary.Count;

            public Enumerator GetEnumerator() => new Enumerator(_dictionary);

            IEnumerator<TKey> IEnumerable<TKey>.GetEnumerator() => new Enumerator(_dictionary);

            IEnumerator IEnumerable.GetEnumerator() => new Enumerator(_dictionary);

            public struct Enumerator : IEnumerator<TKey>
            {
                private Dictionary<TKey, TValue>.Enumerator _inner;

                internal Enumerator(Dictionary<TKey, TValue> dictionary) => _inner = dictionary.GetEnumerator();

                public bool MoveNext() => _inner.MoveNext();
                public TKey Current => _inner.Current.Key;
                object IEnumerator.Current => Current;

                void IEnumerator.Reset() => throw new NotSupportedException();

                public void Dispose() { }
            }
        }

        public sealed class ValueCollection : IEnumerable<TValue>
        {
            private readonly Dictionary<TKey, TValue> _dictionary;

            internal ValueCollection(Dictionary<TKey, TValue> dictionary) => _dictionary = dictionary;

            public int Count => _dictionary.Count;

            public Enumerator GetEnumerator() => new Enumerator(_dictionary);

            IEnumerator<TValue> IEnumerable<TValue>.GetEnumerator() => new Enumerator(_dictionary);

            IEnumerator IEnumerable.GetEnumerator() => new Enumerator(_dictionary);

            public struct Enumerator : IEnumerator<TValue>
            {
                private Dictionary<TKey, TValue>.Enumerator _inner;

                internal Enumerator(Dictionary<TKey, TValue> dictionary) => _inner = dictionary.GetEnumerator();

                public bool MoveNext() => _inner.MoveNext();
                public TValue Current => _inner.Current.Value;
                object IEnumerator.Current => Current;

                void IEnumerator.Reset() => throw new NotSupportedException();

                public void Dispose() { }
            }
        }
    }
}
