// PathHash.cs -- TarPath's path hash computed a character at a time, so a walk that descends one component at a
// time can hash "a/b/c" by extending the state of "a/b" instead of rehashing the whole path at every level.

using System;

namespace VisorFs;

/// <summary>
/// The state of <see cref="TarPath.Hash(string)"/> part way through a path: whole four-character blocks folded in,
/// plus up to three pending characters. Copying the struct keeps a prefix's state, so a path walker stores one per
/// level and goes back up (`..`) for free. <see cref="Finish"/> gives exactly what <see cref="TarPath.Hash(string)"/>
/// gives for the same characters (tested against it).
/// </summary>
public struct PathHash
{
    private ulong _blocks;
    private ulong _pending;
    private int _pendingCount;

    /// <summary>The state of the empty path (the root, "").</summary>
    public static PathHash Empty => new PathHash { _blocks = TarPath.HashSeed };

    public void Append(char c)
    {
        _pending |= (ulong)c << (16 * _pendingCount);
        if (++_pendingCount == 4)
        {
            _blocks = TarPath.HashStep(_blocks, _pending);
            _pending = 0;
            _pendingCount = 0;
        }
    }

    public void Append(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            Append(text[i]);
        }
    }

    /// <summary>The hash of everything appended so far; the state itself is unchanged.</summary>
    public readonly uint Finish()
    {
        ulong h = _pendingCount > 0 ? TarPath.HashStep(_blocks, _pending) : _blocks;
        return TarPath.Fold(h);
    }
}
