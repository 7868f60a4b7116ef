// TreeManifest.cs -- the modes and directories git cannot keep for one content folder (e.g. iso/bootbank/base.manifest).
namespace Vmk.ImageBuilder;

/// <summary>
/// One <c>FOLDER.manifest</c> file beside a content folder. Syntax:
/// <code>
/// # comment ('#' to the end of the line); blank lines are ignored
/// PATH MODE          an octal mode for a file or directory of the folder: /etc/vmware/esx.conf 01644
/// PATH/ MODE         a directory (trailing '/'): created in the archive even if the folder has no such directory
/// </code>
/// MODE is octal with up to four digits (01644 = sticky + rw-r--r--, 01777 = the sticky world-writable /tmp).
/// Paths are absolute in the archive's root ("/" + the path inside the folder). A listed file must exist in the folder;
/// a path may be listed once. Everything not listed gets <see cref="DefaultFileMode"/> or <see cref="DefaultDirectoryMode"/>.
/// </summary>
public sealed class TreeManifest
{
    public const int DefaultFileMode = 0x1A4; // 0644
    public const int DefaultDirectoryMode = 0x1ED; // 0755

    public sealed record Entry(string Path, int Mode, bool IsDirectory, int Line);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyCollection<Entry> Entries => _entries.Values;

    public static TreeManifest Empty { get; } = new();

    public bool TryGet(string path, out Entry entry) => _entries.TryGetValue(path, out entry!);

    public static TreeManifest Load(string file) =>
        File.Exists(file) ? Parse(File.ReadAllText(file), file) : new TreeManifest();

    /// <summary>Parses manifest text; <paramref name="source"/> names the file in error messages.</summary>
    public static TreeManifest Parse(string text, string source)
    {
        var manifest = new TreeManifest();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }
            string[] words = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }
            string where = $"{source}:{i + 1}";
            if (words.Length != 2)
            {
                throw new ImageBuildException($"{where}: expected 'PATH MODE', got '{line.Trim()}'");
            }
            string path = words[0];
            bool isDirectory = path.EndsWith('/');
            string normalized = NormalizePath(path, where);
            if (!TryParseMode(words[1], out int mode))
            {
                throw new ImageBuildException($"{where}: bad mode '{words[1]}' (octal, at most 07777)");
            }
            if (!manifest._entries.TryAdd(normalized, new Entry(normalized, mode, isDirectory, i + 1)))
            {
                throw new ImageBuildException($"{where}: {path} is listed twice");
            }
        }
        return manifest;
    }

    public static bool TryParseMode(string text, out int mode)
    {
        mode = 0;
        if (text.Length is 0 or > 5 || text.Any(c => c is < '0' or > '7'))
        {
            return false;
        }
        mode = Convert.ToInt32(text, 8);
        return mode <= 0xFFF;
    }

    /// <summary>"/etc/x/" -> "etc/x": no leading or trailing '/', no empty, '.' or '..' components.</summary>
    public static string NormalizePath(string path, string where)
    {
        if (!path.StartsWith('/'))
        {
            throw new ImageBuildException($"{where}: path '{path}' must start with '/'");
        }
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p is "." or ".."))
        {
            throw new ImageBuildException($"{where}: bad path '{path}'");
        }
        return string.Join('/', parts);
    }
}
