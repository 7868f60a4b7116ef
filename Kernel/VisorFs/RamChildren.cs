// RamChildren.cs -- the entries of a ramdisk directory: an array for listing and, once the directory is larger than
// a few entries, a hash index by name, so that finding a name costs the name's length and removing an entry costs
// O(1), whatever the directory's size (a `cp -r` of a 50,000-entry directory was quadratic with a scanned list).
//
// Order: entries list in creation order until one is removed; a removal moves the last entry into the hole (O(1)
// instead of shifting the array). Directory order is unspecified on any Unix file system; `ls` sorts.
using System;
using VisorFs;

namespace Kernel.VisorFs
{
    public sealed class RamChildren
    {
        private const int IndexFrom = 16;                       // smaller directories are scanned: no table to keep
        private static readonly RamNode s_removed = new RamNode();   // a table slot whose entry was removed

        private RamNode[] _items = new RamNode[4];
        private int _count;
        private RamNode[] _table;                                // open addressing, linear probing, load <= 1/2
        private int _tableUsed;                                  // live and removed slots

        public int Count => _count;

        public RamNode this[int index] => index < _count ? _items[index] : null;

        /// <summary>Adds an entry; the caller has made sure no entry has its name.</summary>
        public void Add(RamNode node)
        {
            if (_count == _items.Length)
                _items = TarIndex.Grown(_items, _count, _items.Length * 2);
            node.SlotInParent = _count;
            _items[_count++] = node;
            if (_table != null)
                Index(node);
            else if (_count > IndexFrom)
                Rebuild();
        }

        /// <summary>Removes an entry (false if it is not one of these).</summary>
        public bool Remove(RamNode node)
        {
            int slot = node.SlotInParent;
            if (slot < 0 || slot >= _count || _items[slot] != node)
                return false;
            RamNode last = _items[--_count];
            _items[slot] = last;
            last.SlotInParent = slot;
            _items[_count] = null;
            node.SlotInParent = -1;
            if (_table != null)
                Unindex(node);
            return true;
        }

        public RamNode Find(string name) => Find(name, 0, name.Length);

        /// <summary>The entry named text[start, start+length), or null.</summary>
        public RamNode Find(string text, int start, int length)
        {
            ReadOnlySpan<char> name = text.AsSpan().Slice(start, length);
            if (_table == null)
            {
                for (int i = 0; i < _count; i++)
                    if (TarPath.SameAs(_items[i].Name, name))
                        return _items[i];
                return null;
            }
            int mask = _table.Length - 1;
            for (int slot = (int)TarPath.Hash(name) & mask; ; slot = (slot + 1) & mask)
            {
                RamNode at = _table[slot];
                if (at == null)
                    return null;
                if (at != s_removed && TarPath.SameAs(at.Name, name))
                    return at;
            }
        }

        private void Index(RamNode node)
        {
            if ((_tableUsed + 1) * 2 > _table.Length)
            {
                Rebuild();   // includes node, already in _items
                return;
            }
            int mask = _table.Length - 1;
            int slot = (int)TarPath.Hash(node.Name) & mask;
            while (_table[slot] != null && _table[slot] != s_removed)
                slot = (slot + 1) & mask;
            if (_table[slot] == null)
                _tableUsed++;
            _table[slot] = node;
        }

        private void Unindex(RamNode node)
        {
            int mask = _table.Length - 1;
            for (int slot = (int)TarPath.Hash(node.Name) & mask; _table[slot] != null; slot = (slot + 1) & mask)
            {
                if (_table[slot] == node)
                {
                    _table[slot] = s_removed;
                    return;
                }
            }
        }

        // A fresh table for the live entries (removed slots dropped), at most a quarter full.
        private void Rebuild()
        {
            int size = 64;
            while (size < _count * 4)
                size *= 2;
            _table = new RamNode[size];
            _tableUsed = 0;
            int mask = size - 1;
            for (int i = 0; i < _count; i++)
            {
                int slot = (int)TarPath.Hash(_items[i].Name) & mask;
                while (_table[slot] != null)
                    slot = (slot + 1) & mask;
                _table[slot] = _items[i];
                _tableUsed++;
            }
        }
    }
}
