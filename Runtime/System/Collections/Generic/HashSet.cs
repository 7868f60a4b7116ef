// HashSet.cs -- HashSet<T>: a set with the BCL's core members (Add/Remove/Contains, the set operations over another
// HashSet). Shared source: also compiled into tests/Corlib.Tests against the BCL (host parity).
namespace System.Collections.Generic
{
    public class HashSet<T> : IEnumerable<T>
    {
        // A set is a dictionary without values: one hash table implementation, one set of bugs.
        private readonly Dictionary<T, bool> _items;

        public HashSet() => _items = new Dictionary<T, bool>();

        public HashSet(IEqualityComparer<T> comparer) => _items = new Dictionary<T, bool>(comparer);

        public HashSet(int capacity) => _items = new Dictionary<T, bool>(capacity);

        public int Count => _items.Count;

        public IEqualityComparer<T> Comparer => _items.Comparer;

        public bool Add(T item) => _items.TryAdd(item, true);

        public bool Remove(T item) => _items.Remove(item);

        public bool Contains(T item) => _items.ContainsKey(item);

        public void Clear() => _items.Clear();

        public bool TryGetValue(T equalValue, out T actualValue)
        {
            foreach (KeyValuePair<T, bool> entry in _items)
            {
                if (_items.Comparer.Equals(entry.Key, equalValue))
                {
                    actualValue = entry.Key;
                    return true;
                }
            }
            actualValue = default;
            return false;
        }

        public void UnionWith(HashSet<T> other)
        {
            foreach (T item in other)
                Add(item);
        }

        public void ExceptWith(HashSet<T> other)
        {
            foreach (T item in other)
                Remove(item);
        }

        public void IntersectWith(HashSet<T> other)
        {
            var drop = new List<T>();
            foreach (T item in this)
                if (!other.Contains(item))
                    drop.Add(item);
            for (int i = 0; i < drop.Count; i++)
                Remove(drop[i]);
        }

        public bool SetEquals(HashSet<T> other)
        {
            if (other.Count != Count)
                return false;
            foreach (T item in other)
                if (!Contains(item))
                    return false;
            return true;
        }

        public T[] ToArray()
        {
            var result = new T[Count];
            int i = 0;
            foreach (T item in this)
                result[i++] = item;
            return result;
        }

        public Enumerator GetEnumerator() => new Enumerator(_items);

        IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(_items);

        IEnumerator IEnumerable.GetEnumerator() => new Enumerator(_items);

        public struct Enumerator : IEnumerator<T>
        {
            private Dictionary<T, bool>.KeyCollection.Enumerator _keys;

            internal Enumerator(Dictionary<T, bool> items) => _keys = items.Keys.GetEnumerator();

            public bool MoveNext() => _keys.MoveNext();
            public T Current => _keys.Current;
            object IEnumerator.Current => Current;

            void IEnumerator.Reset() => throw new NotSupportedException();

            public void Dispose() { }
        }
    }
}
