// TarPath.cs -- turning a member name from an archive into a safe, normalized VisorFS path.

using System;

namespace VisorFs;

/// <summary>
/// Path rules for archive members. A member name is hostile input: it must not reach outside the tree the
/// archive describes, and two spellings of one file must become one path.
/// </summary>
/// <remarks>
/// Normalizing: a leading "./" is stripped, empty and "." components dropped, a trailing '/' removed, so
/// "./a//b/./" is "a/b". Rejected: an absolute name (a leading '/': a tardisk's members are relative to the mount
/// point, and no tool that builds one writes an absolute name; GNU tar strips the '/' with a warning, but a module
/// whose names were meant for another root is better refused whole-member and logged than mounted somewhere it did
/// not say), any ".." component (even "a/../b": a tardisk has no reason to contain one, and
/// refusing them all means a symlink in the middle can never turn a harmless-looking ".." into an escape), NUL
/// characters, and paths longer than <see cref="MaxLength"/>. The root itself normalizes to "".
/// </remarks>
public static class TarPath
{
    /// <summary>Longest accepted path, as PATH_MAX.</summary>
    public const int MaxLength = 4096;

    public const string ReasonDotDot = "path contains '..' (escapes the archive root)";
    public const string ReasonAbsolute = "absolute path (members are relative to the archive root)";
    public const string ReasonNul = "NUL byte inside name";
    public const string ReasonTooLong = "name too long";

    /// <summary>
    /// Normalizes <paramref name="path"/> into <paramref name="output"/> (which must be at least as long); returns
    /// null on success or the reason the path is rejected.
    /// </summary>
    public static string? Normalize(ReadOnlySpan<char> path, Span<char> output, out int length)
    {
        length = 0;
        if (path.Length > 0 && path[0] == '/')
        {
            return ReasonAbsolute;
        }
        int n = 0;
        int i = 0;
        int len = path.Length;
        while (i < len)
        {
            // One component: [i, end).
            int end = i;
            while (end < len && path[end] != '/')
            {
                if (path[end] == '\0')
                {
                    return ReasonNul;
                }
                end++;
            }
            int compLen = end - i;
            if (compLen == 0 || (compLen == 1 && path[i] == '.'))
            {
                i = end + 1;
                continue;
            }
            if (compLen == 2 && path[i] == '.' && path[i + 1] == '.')
            {
                return ReasonDotDot;
            }
            if (n != 0)
            {
                if (n >= output.Length)
                {
                    return ReasonTooLong;
                }
                output[n++] = '/';
            }
            if (compLen > output.Length - n)
            {
                return ReasonTooLong;
            }
            path.Slice(i, compLen).CopyTo(output.Slice(n));
            n += compLen;
            i = end + 1;
        }
        if (n > MaxLength)
        {
            return ReasonTooLong;
        }
        length = n;
        return null;
    }

    // Path hash: four UTF-16 units (one 64-bit load) per step, h = (rotl(h, 5) ^ quad) * K (the FxHash step; the
    // rotate carries the high bits a multiply produces back down); a tail of 1-3 units is one more step. The
    // result folds the halves together and applies a final xor-shift, so the low bits that pick a hash slot depend
    // on every character. One serial multiply per four characters. Not keyed: like any unkeyed hash, an archive
    // can be built to collide; that costs probe time, never correctness.
    internal const ulong HashSeed = 0xCBF29CE484222325;
    private const ulong HashMultiplier = 0x9E3779B97F4A7C15;

    internal static ulong HashStep(ulong h, ulong quad) => (((h << 5) | (h >> 59)) ^ quad) * HashMultiplier;

    internal static uint Fold(ulong h)
    {
        uint folded = (uint)(h ^ (h >> 32));
        return folded ^ (folded >> 15);
    }

    private static unsafe uint Hash(char* p, int n)
    {
        ulong h = HashSeed;
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            h = HashStep(h, *(ulong*)(p + i)); // p[i] | p[i + 1] << 16 | ... (little endian)
        }
        if (i < n)
        {
            ulong tail = 0;
            for (int k = 0; i + k < n; k++)
            {
                tail |= (ulong)p[i + k] << (16 * k);
            }
            h = HashStep(h, tail);
        }
        return Fold(h);
    }

    /// <summary>Hash of a normalized path; the same for a string and a span.</summary>
    public static unsafe uint Hash(ReadOnlySpan<char> path)
    {
        fixed (char* p = path)
        {
            return Hash(p, path.Length);
        }
    }

    /// <summary>The same hash for a string.</summary>
    public static uint Hash(string path) => Hash(path, 0);

    /// <summary>The same hash for the part of a string from <paramref name="start"/> on.</summary>
    public static unsafe uint Hash(string path, int start)
    {
        fixed (char* p = path)
        {
            return Hash(p + start, path.Length - start);
        }
    }

    /// <summary>Ordinal equality of a string and a span (no BCL SequenceEqual in the kernel).</summary>
    public static bool SameAs(string a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        for (int i = 0; i < b.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }
        return true;
    }
}
