// SerialText.cs -- turns the raw serial byte stream into plain text that patterns can match.
//
// Removes ANSI/VT100 escape sequences (GRUB and SeaBIOS draw with them), carriage returns and NULs, and keeps
// its state between chunks so a sequence split across two reads is still removed.
using System.Text;

namespace Vmk.Iso.Runner;

public sealed class SerialText
{
    private enum State { Text, Escape, Csi, Charset, Osc }

    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _raw = new();
    private readonly StringBuilder _clean = new();
    private State _state;

    /// <summary>Everything received, decoded but unfiltered.</summary>
    public string Raw => _raw.ToString();

    /// <summary>Everything received without escape sequences and <c>\r</c>; lines end in <c>\n</c>.</summary>
    public string Clean => _clean.ToString();

    public int CleanLength => _clean.Length;

    /// <summary>Appends bytes (UTF-8; a character split across two calls is kept for the next); returns them decoded.</summary>
    public string Append(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[_decoder.GetCharCount(bytes, flush: false)];
        int n = _decoder.GetChars(bytes, chars, flush: false);
        Append(chars.AsSpan(0, n));
        return new string(chars, 0, n);
    }

    public int Append(ReadOnlySpan<char> chars)
    {
        int before = _clean.Length;
        _raw.Append(chars);
        foreach (char c in chars)
        {
            switch (_state)
            {
                case State.Text:
                    if (c == '\x1b') { _state = State.Escape; }
                    else if (c is '\r' or '\0') { }
                    else { _clean.Append(c); }
                    break;
                case State.Escape:
                    _state = c switch
                    {
                        '[' => State.Csi,
                        '(' or ')' or '#' => State.Charset,
                        ']' => State.Osc,
                        _ => State.Text, // two-character sequence (ESC c, ESC 7, ...)
                    };
                    break;
                case State.Csi:
                    if (c >= '@' && c <= '~') { _state = State.Text; }
                    break;
                case State.Charset:
                    _state = State.Text;
                    break;
                case State.Osc:
                    if (c is '\a' or '\x1b') { _state = State.Text; }
                    break;
            }
        }
        return _clean.Length - before;
    }

    /// <summary>Strips a whole string in one go.</summary>
    public static string Strip(string text)
    {
        var s = new SerialText();
        s.Append(text.AsSpan());
        return s.Clean;
    }
}
