// TarIndex.Pax.cs -- pax extended header records ("LEN key=value\n") for the member that follows.

using System;

namespace VisorFs;

public sealed partial class TarIndex
{
    /// <summary>
    /// Parses a pax extended header: records "LEN key=value\n" where LEN counts the whole record in decimal.
    /// </summary>
    private bool ParsePax(ReadOnlySpan<byte> a, int offset, int length)
    {
        ReadOnlySpan<byte> d = a.Slice(offset, length);
        int i = 0;
        while (i < d.Length)
        {
            if (d[i] == 0)
            {
                break; // NUL padding after the last record
            }
            int j = i;
            long recordLength = 0;
            while (j < d.Length && d[j] >= (byte)'0' && d[j] <= (byte)'9')
            {
                recordLength = recordLength * 10 + (d[j] - '0');
                if (recordLength > d.Length)
                {
                    return false;
                }
                j++;
            }
            if (j == i || j >= d.Length || d[j] != (byte)' ' || recordLength > d.Length - i || recordLength < (j - i) + 3)
            {
                return false;
            }
            int end = i + (int)recordLength; // one past the '\n'
            if (d[end - 1] != (byte)'\n')
            {
                return false;
            }
            int keyStart = j + 1;
            int eq = keyStart;
            while (eq < end - 1 && d[eq] != (byte)'=')
            {
                eq++;
            }
            if (eq >= end - 1 && d[eq] != (byte)'=')
            {
                return false;
            }
            ReadOnlySpan<byte> key = d.Slice(keyStart, eq - keyStart);
            int valueStart = eq + 1;
            int valueLength = end - 1 - valueStart;
            ReadOnlySpan<byte> value = d.Slice(valueStart, valueLength);
            // An empty value removes the keyword: the header field applies again.
            if (KeyIs(key, "path"))
            {
                _paxPathOffset = valueLength == 0 ? -1 : offset + valueStart;
                _paxPathLength = valueLength;
            }
            else if (KeyIs(key, "linkpath"))
            {
                _paxLinkOffset = valueLength == 0 ? -1 : offset + valueStart;
                _paxLinkLength = valueLength;
            }
            else if (KeyIs(key, "size"))
            {
                if (valueLength == 0)
                {
                    _paxSize = -1;
                }
                else if (!TryParseDecimal(value, false, out _paxSize))
                {
                    return false;
                }
            }
            else if (KeyIs(key, "mtime"))
            {
                _hasPaxMTime = valueLength != 0;
                if (_hasPaxMTime && !TryParseDecimal(value, true, out _paxMTime))
                {
                    return false;
                }
            }
            else if (KeyIs(key, "uid"))
            {
                _hasPaxUid = valueLength != 0;
                if (_hasPaxUid && !TryParseDecimal(value, false, out _paxUid))
                {
                    return false;
                }
            }
            else if (KeyIs(key, "gid"))
            {
                _hasPaxGid = valueLength != 0;
                if (_hasPaxGid && !TryParseDecimal(value, false, out _paxGid))
                {
                    return false;
                }
            }
            i = end;
        }
        return true;
    }

    private static bool KeyIs(ReadOnlySpan<byte> key, string name)
    {
        if (key.Length != name.Length)
        {
            return false;
        }
        for (int i = 0; i < key.Length; i++)
        {
            if (key[i] != name[i])
            {
                return false;
            }
        }
        return true;
    }

    // Decimal integer, optionally signed and with a fraction (dropped, rounding toward negative infinity as a
    // time stamp should), refusing overflow.
    private static bool TryParseDecimal(ReadOnlySpan<byte> s, bool allowSignAndFraction, out long value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (allowSignAndFraction && s.Length > 0 && s[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }
        int digitsStart = i;
        long v = 0;
        while (i < s.Length && s[i] >= (byte)'0' && s[i] <= (byte)'9')
        {
            int digit = s[i] - '0';
            if (v > (long.MaxValue - digit) / 10)
            {
                return false;
            }
            v = v * 10 + digit;
            i++;
        }
        if (i == digitsStart)
        {
            return false;
        }
        bool fraction = false;
        if (i < s.Length)
        {
            if (!allowSignAndFraction || s[i] != (byte)'.')
            {
                return false;
            }
            i++;
            while (i < s.Length)
            {
                if (s[i] < (byte)'0' || s[i] > (byte)'9')
                {
                    return false;
                }
                if (s[i] != (byte)'0')
                {
                    fraction = true;
                }
                i++;
            }
        }
        value = negative ? -v - (fraction ? 1 : 0) : v;
        return true;
    }
}
