// DeviceNodes.cs -- /dev/null, /dev/zero, /dev/urandom (and /dev/random), /dev/tty and /dev/console: device nodes
// that exist for userworlds whatever VisorFS holds (the shell's own filesystem has no /dev). open and stat look
// here first, by the absolute path as given.
using Kernel.VisorFs;

namespace Kernel.User
{
    public static class DeviceNodes
    {
        /// <summary>The device file for a /dev path, or null when the path names none of them.</summary>
        public static UserFile Open(string absolute, int statusFlags, IUserOutput console)
        {
            switch (absolute)
            {
                case "/dev/null": return new DeviceFile(DeviceFile.Kind.Null, statusFlags);
                case "/dev/zero": return new DeviceFile(DeviceFile.Kind.Zero, statusFlags);
                case "/dev/urandom":
                case "/dev/random": return new DeviceFile(DeviceFile.Kind.Urandom, statusFlags);
                case "/dev/tty":
                case "/dev/console": return new ConsoleFile(console, statusFlags);
                default: return null;
            }
        }

        public static bool TryStatus(string absolute, out FileStatus status)
        {
            UserFile file = Open(absolute, UserFile.ReadOnly, null);
            status = file != null ? file.Status() : default;
            return file != null;
        }

        public static string PathOf(DeviceFile.Kind kind) => kind switch
        {
            DeviceFile.Kind.Null => "/dev/null",
            DeviceFile.Kind.Zero => "/dev/zero",
            _ => "/dev/urandom",
        };

        public static FileStatus StatusOf(DeviceFile.Kind kind)
        {
            int minor = kind switch { DeviceFile.Kind.Null => 3, DeviceFile.Kind.Zero => 5, _ => 9 };
            return new FileStatus
            {
                Mode = FileStatus.TypeChar | 0x1B6,   // crw-rw-rw-
                Inode = FileStatus.InodeOf(PathOf(kind)),
                Device = 5,
                RawDevice = (ulong)((1 << 8) | minor),
                Links = 1,
            };
        }
    }
}
