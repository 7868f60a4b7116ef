// LogWriter.cs -- the log writer helper world: copies the vmkernel log ring to /var/log/vmkernel.log in the var
// ramdisk once a second, and rotates it (vmkernel.log -> vmkernel.1 -> vmkernel.2, the oldest dropped) past
// RotateBytes (kernel option `logsize=KiB`, 512 by default), so a chatty kernel cannot fill the ramdisk: the log's
// memory is bounded by three files of that size. A write the ramdisk refuses (it is full) is counted and
// retried later; the ring keeps the lines meanwhile, and what it overwrites is reported as lost.
using System;
using Kernel.Logging;
using Kernel.VisorFs;
using Kernel.Worlds;

namespace Kernel.Services
{
    public static unsafe class LogWriter
    {
        public const string LogPath = "/var/log/vmkernel.log";
        public const long DefaultRotateBytes = 512 * 1024;
        public static long RotateBytes { get; private set; } = DefaultRotateBytes;
        private const int ChunkChars = 4096;

        private static long s_position;
        public static ulong BytesWritten { get; private set; }
        public static ulong FailedWrites { get; private set; }
        public static long LostCharacters { get; private set; }
        public static int Rotations { get; private set; }

        public static World Start(long rotateBytes)
        {
            RotateBytes = rotateBytes > 0 ? rotateBytes : DefaultRotateBytes;
            Scheduler.Groups.AddPath("host/system/helpers", out Resources.ResourceGroup group);
            s_position = 0;   // the whole ring, from boot on
            return Scheduler.Spawn("vmklogger", WorldType.System | WorldType.Helper | WorldType.Critical, group, &Loop, null);
        }

        private static void Loop(object unused)
        {
            char[] chars = new char[ChunkChars];
            byte[] bytes = new byte[ChunkChars];
            while (true)
            {
                Flush(chars, bytes);
                Scheduler.Sleep(1000);
            }
        }

        /// <summary>Writes everything logged since the last flush (also called before a backup or power off).</summary>
        public static void Flush(char[] chars, byte[] bytes)
        {
            VisorFsRoot root = VisorFsRoot.Instance;
            if (root == null)
                return;
            FsLock.Enter();
            FlushLocked(root, chars, bytes);
            FsLock.Exit();
        }

        private static void FlushLocked(VisorFsRoot root, char[] chars, byte[] bytes)
        {
            while (true)
            {
                long from = s_position;
                int n = Log.ReadSince(ref from, chars, out long lost);
                LostCharacters += lost;
                if (n == 0)
                    return;
                for (int i = 0; i < n; i++)
                    bytes[i] = chars[i] < 128 ? (byte)chars[i] : (byte)'?';
                RotateIfLarge(root);
                if (root.WriteFile("/", LogPath, new ReadOnlySpan<byte>(bytes, 0, n), append: true) != Errno.Ok)
                {
                    FailedWrites++;
                    return;   // keep the position: the ring still has these lines for the next try
                }
                BytesWritten += (ulong)n;
                s_position = from;
            }
        }

        private static void RotateIfLarge(VisorFsRoot root)
        {
            Errno found = root.Resolve("/", LogPath, true, out FsNode node);
            long size = found == Errno.Ok ? node.Size : 0;
            if (size < RotateBytes)
                return;
            root.Unlink("/", "/var/log/vmkernel.2");
            root.Rename("/", "/var/log/vmkernel.1", "/var/log/vmkernel.2");
            root.Rename("/", LogPath, "/var/log/vmkernel.1");
            Rotations++;
        }
    }
}
