// CronHelper.cs -- the cron helper world: at every minute boundary it reads the root crontab
// (/var/spool/cron/crontabs/root, where ESXi keeps `1 * * * * /sbin/auto-backup.sh`) and runs the lines that are
// due through a shell of its own, logging each run and its output. The kernel option `cronperiod=SECONDS` shortens
// the "minute" for tests (each period then counts as the next minute).
using System;
using Kernel.Logging;
using Kernel.Time;
using Kernel.VisorFs;
using Kernel.Worlds;

namespace Kernel.Services
{
    public static unsafe class CronHelper
    {
        public const string CrontabPath = "/var/spool/cron/crontabs/root";
        private const int MaxCrontabBytes = 16 * 1024;

        private sealed class Settings
        {
            public string HostName;
            public ulong PeriodMilliseconds;
        }

        public static ulong Runs { get; private set; }

        public static World Start(string hostName, ulong periodSeconds)
        {
            Scheduler.Groups.AddPath("host/system/helpers", out Resources.ResourceGroup group);
            var settings = new Settings { HostName = hostName, PeriodMilliseconds = (periodSeconds == 0 ? 60 : periodSeconds) * 1000 };
            return Scheduler.Spawn("crond", WorldType.System | WorldType.Helper | WorldType.Critical, group, &Loop, settings);
        }

        private static void Loop(object argument)
        {
            var settings = (Settings)argument;
            var shell = new Shell.Shell(settings.HostName);
            long minute = Clock.WallMilliseconds / (long)settings.PeriodMilliseconds;
            while (true)
            {
                // Sleep to the next boundary; a late wake-up still runs each missed minute at most once.
                long now = Clock.WallMilliseconds;
                long next = (minute + 1) * (long)settings.PeriodMilliseconds;
                if (next > now)
                    Scheduler.Sleep((ulong)(next - now));
                minute++;
                RunDue(shell, settings, minute);
            }
        }

        private static void RunDue(Shell.Shell shell, Settings settings, long minute)
        {
            string text = ReadCrontab();
            if (text == null)
                return;
            CronTab table = CronTab.Parse(text);
            for (int i = 0; i < table.ErrorCount; i++)
                Log.Warning("crond", string.Concat(CrontabPath, ": ", table.Error(i), "; line ignored"));
            // With the real 60 s period this is wall-clock time; with a shorter test period it is the period count
            // read as minutes since the epoch, so `* * * * *` runs every period.
            CivilTime t = CivilTime.FromUnixMilliseconds(minute * 60000);
            int weekday = (int)((minute / 1440 + 4) % 7);   // 1970-01-01 was a Thursday
            for (int i = 0; i < table.Count; i++)
            {
                CronEntry entry = table[i];
                if (!entry.IsDue(t.Minute, t.Hour, t.Day, t.Month, weekday))
                    continue;
                Runs++;
                int status = shell.RunCaptured(entry.Command, out string output);
                Log.Info("crond", string.Concat("ran '", entry.Command, "': status ", status.ToString()));
                if (output.Length > 0)
                    Log.Info("crond", output.Trim());
            }
        }

        private static string ReadCrontab()
        {
            FsLock.Enter();
            string text = ReadCrontabLocked();
            FsLock.Exit();
            return text;
        }

        private static string ReadCrontabLocked()
        {
            VisorFsRoot root = VisorFsRoot.Instance;
            if (root == null || root.Resolve("/", CrontabPath, true, out FsNode node) != Errno.Ok || node.IsDirectory)
                return null;
            if (root.Files.Open(node, "crond", out int fd) != Errno.Ok)
                return null;
            byte[] bytes = new byte[MaxCrontabBytes];
            int total = 0, n;
            while (total < bytes.Length && (n = root.Files.Read(fd, new Span<byte>(bytes, total, bytes.Length - total))) > 0)
                total += n;
            root.Files.Close(fd);
            char[] chars = new char[total];
            for (int i = 0; i < total; i++)
                chars[i] = (char)bytes[i];
            return new string(chars, 0, total);
        }
    }
}
