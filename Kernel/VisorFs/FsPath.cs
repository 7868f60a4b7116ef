// FsPath.cs -- absolute path text helpers for VisorFS: joining a shell's cwd, parent and last component.
namespace Kernel.VisorFs
{
    public static class FsPath
    {
        public const int MaxLength = 4096;

        /// <summary>`/` + name, or parent + `/` + name.</summary>
        public static string Child(string parent, string name) => parent == "/" ? string.Concat("/", name) : string.Concat(parent, "/", name);

        /// <summary>
        /// True when canonical <paramref name="path"/> is <paramref name="dir"/> or lies below it (`/a/b` is within
        /// `/a`, `/ab` is not). Compares in place: no string is made.
        /// </summary>
        public static bool IsWithin(string path, string dir) =>
            path == dir || (path.Length > dir.Length && path[dir.Length] == '/' && path.StartsWith(dir));

        /// <summary>The canonical parent of a canonical path (`/` for `/` and `/x`).</summary>
        public static string Parent(string path)
        {
            int slash = path.LastIndexOf('/');
            return slash <= 0 ? "/" : path.Substring(0, slash);
        }

        /// <summary>The last component of a path without trailing slashes (`/a/b/` gives `b`, `/` gives ``).</summary>
        public static string LastName(string path)
        {
            int end = path.Length;
            while (end > 0 && path[end - 1] == '/')
                end--;
            int start = end;
            while (start > 0 && path[start - 1] != '/')
                start--;
            return path.Substring(start, end - start);
        }

        /// <summary>Everything before the last component (`a/b` gives `a`, `b` gives `.`, `/b` gives `/`).</summary>
        public static string DirectoryPart(string path)
        {
            int end = path.Length;
            while (end > 1 && path[end - 1] == '/')
                end--;
            int slash = end - 1;
            while (slash >= 0 && path[slash] != '/')
                slash--;
            if (slash < 0)
                return ".";
            if (slash == 0)
                return "/";
            return path.Substring(0, slash);
        }

        /// <summary>The path as given, made absolute against <paramref name="cwd"/> (not normalized).</summary>
        public static string Absolute(string cwd, string path)
        {
            if (path.Length > 0 && path[0] == '/')
                return path;
            return cwd == "/" ? string.Concat("/", path) : string.Concat(cwd, "/", path);
        }

        /// <summary>`.#name`: the marker beside a modified sticky file; users may not create these.</summary>
        public static bool IsMarkerName(string name) => name.Length >= 2 && name[0] == '.' && name[1] == '#';
    }
}
