// BootConfigWriter.cs -- writes boot.cfg in the syntax BootConfig reads (the image tool; later backup.sh's updated=).

using System;
using System.Collections.Generic;

namespace VisorFs;

/// <summary>
/// The values of one boot.cfg, written back in esx-boot's layout: <c>bootstate</c>, <c>title</c>, <c>timeout</c>,
/// <c>prefix</c>, <c>kernel</c>, <c>kernelopt</c>, <c>modules</c>, <c>build</c>, <c>updated</c>, one per line, every
/// key present (empty values too, as ESXi writes them), modules joined with <c>" --- "</c>.
/// </summary>
/// <remarks>
/// What <see cref="BootConfig"/> cannot read back is refused rather than written: a line break or '#' in any value
/// (the rest would become a comment or a new key), white space or '---' inside a path, '---' inside options.
/// <see cref="TryWrite"/> checks, so <c>BootConfig.TryParse(written)</c> always gives the same values back.
/// </remarks>
public sealed class BootConfigWriter
{
    /// <summary>Optional comment written first, one '# ' line per line of text.</summary>
    public string Comment = "";
    public BootState BootState = BootState.Valid;
    public string Title = "";
    public int Timeout = 5;
    public string Prefix = "";
    /// <summary>Kernel path (required).</summary>
    public string Kernel = "";
    /// <summary>Options after the kernel path on the kernel= line (rarely used; kernelopt= is the usual place).</summary>
    public string KernelLineOptions = "";
    public string KernelOptions = "";
    public List<BootModule> Modules = new List<BootModule>();
    public string Build = "";
    public int Updated;

    /// <summary>The values of a parsed boot.cfg. Paths lose the prefix the parser added, so a round trip keeps them.</summary>
    public static BootConfigWriter From(BootConfig config)
    {
        var w = new BootConfigWriter();
        w.BootState = config.BootState;
        w.Title = config.Title;
        w.Timeout = config.Timeout;
        w.Prefix = config.Prefix;
        w.Kernel = StripPrefix(config.Prefix, config.Kernel);
        w.KernelLineOptions = config.KernelLineOptions;
        w.KernelOptions = config.KernelOptions;
        for (int i = 0; i < config.Modules.Count; i++)
        {
            var m = new BootModule();
            m.Path = StripPrefix(config.Prefix, config.Modules[i].Path);
            m.Options = config.Modules[i].Options;
            w.Modules.Add(m);
        }
        w.Build = config.Build;
        w.Updated = config.Updated;
        return w;
    }

    /// <summary>The file's text ('\n' line ends, one at the end), or false with the reason.</summary>
    public bool TryWrite(out string text, out string error)
    {
        text = "";
        if (!Validate(out error))
        {
            return false;
        }
        string s = "";
        if (Comment.Length > 0)
        {
            int start = 0;
            for (int i = 0; i <= Comment.Length; i++)
            {
                if (i == Comment.Length || Comment[i] == '\n')
                {
                    s = string.Concat(s, "# ", string.Concat(Comment.Substring(start, i - start), "\n"));
                    start = i + 1;
                }
            }
        }
        s = Line(s, "bootstate", FormatNumber((int)BootState));
        s = Line(s, "title", Title);
        s = Line(s, "timeout", FormatNumber(Timeout));
        s = Line(s, "prefix", Prefix);
        s = Line(s, "kernel", KernelLineOptions.Length > 0 ? string.Concat(Kernel, " ", KernelLineOptions) : Kernel);
        s = Line(s, "kernelopt", KernelOptions);
        string modules = "";
        for (int i = 0; i < Modules.Count; i++)
        {
            string item = Modules[i].Options.Length > 0 ? string.Concat(Modules[i].Path, " ", Modules[i].Options) : Modules[i].Path;
            modules = i == 0 ? item : string.Concat(modules, " --- ", item);
        }
        s = Line(s, "modules", modules);
        s = Line(s, "build", Build);
        s = Line(s, "updated", FormatNumber(Updated));
        text = s;
        return true;
    }

    private bool Validate(out string error)
    {
        error = "";
        if ((int)BootState < 0 || (int)BootState > 3)
        {
            error = "bootstate must be 0-3";
            return false;
        }
        if (Timeout < 0 || Updated < 0)
        {
            error = "timeout and updated must not be negative";
            return false;
        }
        if (!IsPath(Kernel))
        {
            error = Kernel.Length == 0 ? "kernel=<FILEPATH> must be set" : string.Concat("bad kernel path: ", Kernel);
            return false;
        }
        if (!IsValue(Title) || !IsValue(Prefix) || !IsValue(KernelOptions) || !IsValue(Build)
            || !IsValue(KernelLineOptions) || HasSeparator(Title))
        {
            error = "a value contains a line break, '#' or surrounding white space";
            return false;
        }
        for (int i = 0; i < Modules.Count; i++)
        {
            if (!IsPath(Modules[i].Path))
            {
                error = string.Concat("bad module path: '", Modules[i].Path, "'");
                return false;
            }
            if (!IsValue(Modules[i].Options) || HasSeparator(Modules[i].Options))
            {
                error = string.Concat("bad options for module ", Modules[i].Path);
                return false;
            }
        }
        return true;
    }

    private static string Line(string text, string key, string value) => string.Concat(text, key, string.Concat("=", value, "\n"));

    private static bool IsSpace(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';

    // Anything the parser would cut, trim or treat as a comment cannot be a value.
    private static bool IsValue(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\n' || value[i] == '#' || value[i] == '\0')
            {
                return false;
            }
        }
        return value.Length == 0 || (!IsSpace(value[0]) && !IsSpace(value[value.Length - 1]));
    }

    private static bool IsPath(string path)
    {
        if (path.Length == 0 || !IsValue(path) || HasSeparator(path))
        {
            return false;
        }
        for (int i = 0; i < path.Length; i++)
        {
            if (IsSpace(path[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static bool HasSeparator(string s)
    {
        for (int i = 0; i + 2 < s.Length; i++)
        {
            if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '-')
            {
                return true;
            }
        }
        return false;
    }

    // The parser joined prefix and path; taking the prefix off again gives a path that parses to the same value.
    private static string StripPrefix(string prefix, string path)
    {
        if (prefix.Length == 0)
        {
            return path;
        }
        string withSlash = prefix[prefix.Length - 1] == '/' ? prefix : string.Concat(prefix, "/");
        if (path.Length <= withSlash.Length)
        {
            return path;
        }
        for (int i = 0; i < withSlash.Length; i++)
        {
            if (path[i] != withSlash[i])
            {
                return path;
            }
        }
        return path.Substring(withSlash.Length);
    }

    private static string FormatNumber(int value)
    {
        if (value == 0)
        {
            return "0";
        }
        char[] digits = new char[11];
        int pos = digits.Length;
        uint v = value < 0 ? (uint)(-(long)value) : (uint)value;
        while (v != 0)
        {
            digits[--pos] = (char)('0' + (int)(v % 10));
            v /= 10;
        }
        if (value < 0)
        {
            digits[--pos] = '-';
        }
        return new string(digits, pos, digits.Length - pos);
    }
}
