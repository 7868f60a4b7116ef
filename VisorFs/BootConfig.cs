// BootConfig.cs -- boot.cfg parsing: the kernel, its command line and the ordered module list, per esx-boot.

using System;
using System.Collections.Generic;

namespace VisorFs;

/// <summary>bootstate= values: which state the boot bank is in.</summary>
public enum BootState
{
    Valid = 0,
    Upgrading = 1,
    Dirty = 2,
    Invalid = 3,
}

/// <summary>One module= list item: a file and the options that become its own command line.</summary>
public sealed class BootModule
{
    /// <summary>File path, with prefix= applied when it is relative.</summary>
    public string Path = "";
    /// <summary>Everything after the path, trimmed ("" if none).</summary>
    public string Options = "";
}

/// <summary>
/// The boot configuration file.
/// </summary>
/// <remarks>
/// Syntax, as esx-boot's config.c reads it:
/// <code>
/// # comment: '#' starts a comment anywhere on a line; blank lines are ignored
/// key=value          white space around key and value is dropped; a later line overrides an earlier one
/// key                type     default  meaning
/// kernel=PATH [opt]  path     --       the kernel; required: "kernel=&lt;FILEPATH&gt; must be set"
/// kernelopt=TEXT     string   ""       kernel command line
/// modules=LIST       list     empty    "PATH [options] --- PATH [options] ..."; '---' needs no spaces around it
/// title=TEXT         string   ""       boot menu title
/// prefix=DIR         string   ""       prepended (with '/') to kernel and module paths that do not start with '/'
/// timeout=N          int      5        seconds before booting the default entry
/// build=TEXT         string   ""       build number
/// updated=N          int      0        bank counter: the highest wins among VALID/DIRTY banks
/// bootstate=N        int 0-3  0        0 VALID, 1 UPGRADING, 2 DIRTY, 3 INVALID
/// </code>
/// Unknown keys and lines without '=' are ignored (listed in <see cref="Warnings"/>). The option table below is
/// the single list of keys: the parser walks it, so adding an option is one line.
/// </remarks>
public sealed class BootConfig
{
    private enum Kind
    {
        Path,
        Text,
        Number,
        ModuleList,
    }

    private struct Option
    {
        public string Key;
        public Kind Kind;
        public string Default;
        public long Min;
        public long Max;

        public Option(string key, Kind kind, string defaultValue, long min, long max)
        {
            Key = key;
            Kind = kind;
            Default = defaultValue;
            Min = min;
            Max = max;
        }
    }

    private const int KernelKey = 0;
    private const int KernelOptKey = 1;
    private const int ModulesKey = 2;
    private const int TitleKey = 3;
    private const int PrefixKey = 4;
    private const int TimeoutKey = 5;
    private const int BuildKey = 6;
    private const int UpdatedKey = 7;
    private const int BootStateKey = 8;

    // The option table: index = the *Key constants above.
    private static readonly Option[] s_options =
    [
        new Option("kernel", Kind.Path, "", 0, 0),
        new Option("kernelopt", Kind.Text, "", 0, 0),
        new Option("modules", Kind.ModuleList, "", 0, 0),
        new Option("title", Kind.Text, "", 0, 0),
        new Option("prefix", Kind.Text, "", 0, 0),
        new Option("timeout", Kind.Number, "5", 0, int.MaxValue),
        new Option("build", Kind.Text, "", 0, 0),
        new Option("updated", Kind.Number, "0", 0, int.MaxValue),
        new Option("bootstate", Kind.Number, "0", 0, 3),
    ];

    private readonly string[] _values = new string[s_options.Length];
    private readonly long[] _numbers = new long[s_options.Length];

    /// <summary>Kernel path (prefix applied).</summary>
    public string Kernel { get; private set; } = "";
    /// <summary>Options written after the kernel path on the kernel= line.</summary>
    public string KernelLineOptions { get; private set; } = "";
    public string KernelOptions => _values[KernelOptKey];
    public string Title => _values[TitleKey];
    public string Prefix => _values[PrefixKey];
    public string Build => _values[BuildKey];
    public int Timeout => (int)_numbers[TimeoutKey];
    public int Updated => (int)_numbers[UpdatedKey];
    public BootState BootState => (BootState)(int)_numbers[BootStateKey];
    /// <summary>The modules in boot.cfg order.</summary>
    public List<BootModule> Modules { get; } = new List<BootModule>();
    /// <summary>Lines that were ignored, for the log.</summary>
    public List<string> Warnings { get; } = new List<string>();

    private BootConfig()
    {
    }

    /// <summary>Parses boot.cfg bytes (ASCII/UTF-8; invalid bytes become '?').</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out BootConfig config, out string error)
    {
        char[] chars = new char[text.Length];
        int n;
        if (!Utf8.TryDecode(text, chars, out n))
        {
            for (int i = 0; i < text.Length; i++)
            {
                chars[i] = text[i] < 0x80 ? (char)text[i] : '?';
            }
            n = text.Length;
        }
        return TryParse(new string(chars, 0, n), out config, out error);
    }

    /// <summary>Parses boot.cfg text. On failure <paramref name="error"/> says why, as the loader prints it.</summary>
    public static bool TryParse(string text, out BootConfig config, out string error)
    {
        config = new BootConfig();
        error = "";
        string[] values = config._values;
        int pos = 0;
        while (pos < text.Length)
        {
            int end = pos;
            while (end < text.Length && text[end] != '\n')
            {
                end++;
            }
            int lineEnd = end;
            for (int i = pos; i < end; i++)
            {
                if (text[i] == '#')
                {
                    lineEnd = i;
                    break;
                }
            }
            ParseLine(config, text, pos, lineEnd);
            pos = end + 1;
        }

        for (int k = 0; k < s_options.Length; k++)
        {
            if (values[k] == null)
            {
                values[k] = s_options[k].Default;
            }
            if (s_options[k].Kind == Kind.Number)
            {
                if (!TryParseNumber(values[k], out long v) || v < s_options[k].Min || v > s_options[k].Max)
                {
                    error = string.Concat("invalid value for ", s_options[k].Key, "=: ", values[k]);
                    return false;
                }
                config._numbers[k] = v;
            }
        }
        if (values[KernelKey].Length == 0)
        {
            error = "kernel=<FILEPATH> must be set";
            return false;
        }
        string prefix = values[PrefixKey];
        SplitPathAndOptions(values[KernelKey], 0, values[KernelKey].Length, out string kernelPath, out string kernelOpts);
        config.Kernel = ApplyPrefix(prefix, kernelPath);
        config.KernelLineOptions = kernelOpts;
        ParseModules(config, values[ModulesKey], prefix);
        return true;
    }

    private static void ParseLine(BootConfig config, string text, int start, int end)
    {
        int s = start;
        int e = end;
        Trim(text, ref s, ref e);
        if (s == e)
        {
            return;
        }
        int eq = -1;
        for (int i = s; i < e; i++)
        {
            if (text[i] == '=')
            {
                eq = i;
                break;
            }
        }
        if (eq < 0)
        {
            config.Warnings.Add(string.Concat("ignored line without '=': ", text.Substring(s, e - s)));
            return;
        }
        int ks = s;
        int ke = eq;
        Trim(text, ref ks, ref ke);
        int vs = eq + 1;
        int ve = e;
        Trim(text, ref vs, ref ve);
        for (int k = 0; k < s_options.Length; k++)
        {
            string key = s_options[k].Key;
            if (key.Length != ke - ks)
            {
                continue;
            }
            bool match = true;
            for (int i = 0; i < key.Length; i++)
            {
                if (text[ks + i] != key[i])
                {
                    match = false;
                    break;
                }
            }
            if (match)
            {
                config._values[k] = text.Substring(vs, ve - vs);
                return;
            }
        }
        config.Warnings.Add(string.Concat("ignored unknown key: ", text.Substring(ks, ke - ks)));
    }

    private static bool IsSpace(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';

    private static void Trim(string text, ref int start, ref int end)
    {
        while (start < end && IsSpace(text[start]))
        {
            start++;
        }
        while (end > start && IsSpace(text[end - 1]))
        {
            end--;
        }
    }

    private static bool TryParseNumber(string s, out long value)
    {
        value = 0;
        if (s.Length == 0 || s.Length > 18)
        {
            return false;
        }
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] < '0' || s[i] > '9')
            {
                return false;
            }
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }

    // "PATH [options...]": the path ends at the first white space; the rest, trimmed, is the options.
    private static void SplitPathAndOptions(string text, int start, int end, out string path, out string options)
    {
        int s = start;
        int e = end;
        Trim(text, ref s, ref e);
        int p = s;
        while (p < e && !IsSpace(text[p]))
        {
            p++;
        }
        path = text.Substring(s, p - s);
        int os = p;
        int oe = e;
        Trim(text, ref os, ref oe);
        options = text.Substring(os, oe - os);
    }

    private static string ApplyPrefix(string prefix, string path)
    {
        if (prefix.Length == 0 || path.Length == 0 || path[0] == '/')
        {
            return path;
        }
        if (prefix[prefix.Length - 1] == '/')
        {
            return string.Concat(prefix, path);
        }
        return string.Concat(prefix, "/", path);
    }

    private static void ParseModules(BootConfig config, string list, string prefix)
    {
        int itemStart = 0;
        int i = 0;
        while (true)
        {
            bool atEnd = i >= list.Length;
            bool separator = !atEnd && i + 2 < list.Length && list[i] == '-' && list[i + 1] == '-' && list[i + 2] == '-';
            if (atEnd || separator)
            {
                SplitPathAndOptions(list, itemStart, atEnd ? list.Length : i, out string path, out string options);
                // Empty items (a trailing '---', or '--- ---') name nothing.
                if (path.Length > 0)
                {
                    var module = new BootModule();
                    module.Path = ApplyPrefix(prefix, path);
                    module.Options = options;
                    config.Modules.Add(module);
                }
                if (atEnd)
                {
                    return;
                }
                i += 3;
                itemStart = i;
                continue;
            }
            i++;
        }
    }
}
