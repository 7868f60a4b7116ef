// ProcFormat.cs -- the text of the /proc files in Linux's formats (proc(5)), from plain numbers: the kernel gathers
// the facts (ProcFs), these functions only lay them out, so tests/Kernel.Tests checks the layouts on the host.
// Programs parse these texts with sscanf and fixed field positions (busybox ps counts stat's fields after the
// ")"), so every field Linux prints is printed, with 0 for what this kernel does not track.
using System.Text;

namespace Kernel.User.Proc
{
    public static class ProcFormat
    {
        /// <summary>/proc/meminfo: `Name:` padded to 16 columns, the value right-aligned in 8, then ` kB`.</summary>
        public static string Meminfo(ulong totalKb, ulong freeKb, ulong availableKb, ulong buffersKb, ulong cachedKb, ulong swapTotalKb, ulong swapFreeKb)
        {
            var text = new StringBuilder(256);
            KbLine(text, "MemTotal", totalKb);
            KbLine(text, "MemFree", freeKb);
            KbLine(text, "MemAvailable", availableKb);
            KbLine(text, "Buffers", buffersKb);
            KbLine(text, "Cached", cachedKb);
            KbLine(text, "SwapCached", 0);
            KbLine(text, "SwapTotal", swapTotalKb);
            KbLine(text, "SwapFree", swapFreeKb);
            KbLine(text, "Shmem", 0);
            KbLine(text, "SReclaimable", 0);
            return text.ToString();
        }

        private static void KbLine(StringBuilder text, string name, ulong kb)
        {
            text.Append(name).Append(':');
            Spaces(text, 15 - name.Length);
            RightAligned(text, kb, 8);
            text.Append(" kB\n");
        }

        /// <summary>/proc/uptime: seconds since boot and the idle CPUs' seconds, each with two decimals.</summary>
        public static string Uptime(ulong uptimeMs, ulong idleMs)
        {
            var text = new StringBuilder(32);
            Centiseconds(text, uptimeMs / 10);
            text.Append(' ');
            Centiseconds(text, idleMs / 10);
            return text.Append('\n').ToString();
        }

        /// <summary>/proc/loadavg: three load averages (hundredths), runnable/total worlds, the last pid handed out.</summary>
        public static string Loadavg(ulong load1, ulong load5, ulong load15, int runnable, int total, int lastPid)
        {
            var text = new StringBuilder(48);
            Centiseconds(text, load1);
            text.Append(' ');
            Centiseconds(text, load5);
            text.Append(' ');
            Centiseconds(text, load15);
            return text.Append(' ').Append(runnable).Append('/').Append(total).Append(' ').Append(lastPid).Append('\n').ToString();
        }

        /// <summary>/proc/PID/stat: one line of 52 fields (proc(5)); comm in parentheses, cut at 15 characters.</summary>
        public static string Stat(in ProcessFacts p)
        {
            var text = new StringBuilder(256);
            text.Append(p.Pid).Append(" (").Append(Comm(p.Name)).Append(") ").Append(p.State);
            Field(text, p.ParentPid);                  // 4 ppid
            Field(text, p.ProcessGroup);               // 5 pgrp
            Field(text, p.Session);                    // 6 session
            Field(text, p.TerminalDevice);             // 7 tty_nr
            Field(text, p.ProcessGroup);               // 8 tpgid
            Field(text, 0x400000);                     // 9 flags (PF_FORKNOEXEC-free user task)
            Zeros(text, 4);                            // 10-13 minflt cminflt majflt cmajflt
            Field(text, p.UserTicks);                  // 14 utime
            Zeros(text, 3);                            // 15-17 stime cutime cstime
            Field(text, 20);                           // 18 priority
            Field(text, 0);                            // 19 nice
            Field(text, p.Threads < 1 ? 1 : p.Threads); // 20 num_threads
            Field(text, 0);                            // 21 itrealvalue
            Field(text, p.StartTicks);                 // 22 starttime
            Field(text, p.VirtualBytes);               // 23 vsize
            Field(text, p.ResidentPages);              // 24 rss
            Field(text, ulong.MaxValue);               // 25 rsslim (unlimited)
            Zeros(text, 5);                            // 26-30 startcode endcode startstack kstkesp kstkeip
            Field(text, p.SignalsPending);             // 31 signal
            Field(text, p.SignalsBlocked);             // 32 blocked
            Field(text, p.SignalsIgnored);             // 33 sigignore
            Field(text, p.SignalsCaught);              // 34 sigcatch
            Zeros(text, 3);                            // 35-37 wchan nswap cnswap
            Field(text, 17);                           // 38 exit_signal (SIGCHLD)
            Zeros(text, 14);                           // 39-52 processor .. exit_code
            return text.Append('\n').ToString();
        }

        /// <summary>/proc/PID/status: `Key:\tvalue` lines, the memory ones as `%8lu kB`.</summary>
        public static string Status(in ProcessFacts p)
        {
            var text = new StringBuilder(512);
            text.Append("Name:\t").Append(Comm(p.Name)).Append('\n');
            text.Append("Umask:\t0").Append(Octal(p.Umask, 3)).Append('\n');
            text.Append("State:\t").Append(p.State).Append(" (").Append(StateName(p.State)).Append(")\n");
            text.Append("Tgid:\t").Append(p.Pid).Append('\n');
            text.Append("Ngid:\t0\n");
            text.Append("Pid:\t").Append(p.Pid).Append('\n');
            text.Append("PPid:\t").Append(p.ParentPid).Append('\n');
            text.Append("TracerPid:\t0\n");
            text.Append("Uid:\t0\t0\t0\t0\n");
            text.Append("Gid:\t0\t0\t0\t0\n");
            text.Append("FDSize:\t64\n");
            text.Append("Groups:\t\n");
            StatusKb(text, "VmPeak", p.VirtualBytes / 1024);
            StatusKb(text, "VmSize", p.VirtualBytes / 1024);
            StatusKb(text, "VmRSS", p.ResidentPages * 4);
            text.Append("Threads:\t").Append(p.Threads < 1 ? 1 : p.Threads).Append('\n');
            text.Append("SigPnd:\t").Append(Hex(p.SignalsPending, 16)).Append('\n');
            text.Append("ShdPnd:\t0000000000000000\n");
            text.Append("SigBlk:\t").Append(Hex(p.SignalsBlocked, 16)).Append('\n');
            text.Append("SigIgn:\t").Append(Hex(p.SignalsIgnored, 16)).Append('\n');
            text.Append("SigCgt:\t").Append(Hex(p.SignalsCaught, 16)).Append('\n');
            return text.ToString();
        }

        private static void StatusKb(StringBuilder text, string name, ulong kb)
        {
            text.Append(name).Append(":\t");
            RightAligned(text, kb, 8);
            text.Append(" kB\n");
        }

        /// <summary>/proc/PID/cmdline: every argument followed by a NUL.</summary>
        public static string Cmdline(string[] arguments)
        {
            var text = new StringBuilder(64);
            if (arguments != null)
                for (int i = 0; i < arguments.Length; i++)
                    text.Append(arguments[i]).Append('\0');
            return text.ToString();
        }

        /// <summary>One /proc/PID/maps line: `start-end rwxp offset dev inode`, the name from column 74.</summary>
        public static void MapsLine(StringBuilder text, ulong start, ulong end, bool writable, bool executable, string name)
        {
            int lineStart = text.Length;
            text.Append(Hex(start, 8)).Append('-').Append(Hex(end, 8)).Append(" r").Append(writable ? 'w' : '-')
                .Append(executable ? 'x' : '-').Append("p 00000000 00:00 0");
            if (name != null)
            {
                Spaces(text, 73 - (text.Length - lineStart));
                text.Append(name);
            }
            text.Append('\n');
        }

        /// <summary>One /proc/mounts line: `device mountpoint type options 0 0`.</summary>
        public static void MountLine(StringBuilder text, string device, string mountPoint, string type, bool readOnly)
        {
            text.Append(device).Append(' ').Append(mountPoint).Append(' ').Append(type).Append(readOnly ? " ro" : " rw").Append(" 0 0\n");
        }

        /// <summary>One /proc/cpuinfo block (x86's keys, a tab and `: ` after each), ending in an empty line.</summary>
        public static void CpuinfoBlock(StringBuilder text, int processor, string vendor, uint family, uint model, string modelName,
            uint stepping, ulong megahertz, int cpuCount, int apicId, string flags)
        {
            text.Append("processor\t: ").Append(processor).Append('\n');
            text.Append("vendor_id\t: ").Append(vendor).Append('\n');
            text.Append("cpu family\t: ").Append(family).Append('\n');
            text.Append("model\t\t: ").Append(model).Append('\n');
            text.Append("model name\t: ").Append(modelName).Append('\n');
            text.Append("stepping\t: ").Append(stepping).Append('\n');
            text.Append("cpu MHz\t\t: ").Append(megahertz).Append(".000\n");
            text.Append("physical id\t: 0\n");
            text.Append("siblings\t: ").Append(cpuCount).Append('\n');
            text.Append("core id\t\t: ").Append(processor).Append('\n');
            text.Append("cpu cores\t: ").Append(cpuCount).Append('\n');
            text.Append("apicid\t\t: ").Append(apicId).Append('\n');
            text.Append("fpu\t\t: yes\n");
            text.Append("flags\t\t: ").Append(flags).Append("\n\n");
        }

        /// <summary>A `cpu`/`cpuN` line of /proc/stat: user nice system idle iowait irq softirq steal guest guest_nice,
        /// in clock ticks; this kernel counts only time in worlds (user) and in the idle worlds.</summary>
        public static void StatCpuLine(StringBuilder text, string name, ulong busyTicks, ulong idleTicks)
        {
            text.Append(name);
            if (name == "cpu")
                text.Append(' ');
            text.Append(' ').Append(busyTicks).Append(" 0 0 ").Append(idleTicks).Append(" 0 0 0 0 0 0\n");
        }

        public static string StateName(char state) => state switch
        {
            'R' => "running",
            'S' => "sleeping",
            'T' => "stopped",
            'Z' => "zombie",
            _ => "unknown",
        };

        /// <summary>comm as Linux keeps it: at most 15 characters (TASK_COMM_LEN 16 with the NUL).</summary>
        public static string Comm(string name)
        {
            if (name == null)
                return "";
            return name.Length > 15 ? name.Substring(0, 15) : name;
        }

        public static string Hex(ulong value, int minimumDigits)
        {
            var digits = new char[16];
            int n = 0;
            do
            {
                int d = (int)(value & 0xF);
                digits[15 - n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
                value >>= 4;
            } while (value != 0);
            var text = new StringBuilder(16);
            Zeros(text, minimumDigits - n, '0');
            return text.Append(digits, 16 - n, n).ToString();
        }

        private static string Octal(int value, int digits)
        {
            var chars = new char[digits];
            for (int i = digits - 1; i >= 0; i--, value >>= 3)
                chars[i] = (char)('0' + (value & 7));
            return new string(chars);
        }

        private static void Centiseconds(StringBuilder text, ulong hundredths)
        {
            text.Append(hundredths / 100).Append('.');
            ulong fraction = hundredths % 100;
            if (fraction < 10)
                text.Append('0');
            text.Append(fraction);
        }

        private static void RightAligned(StringBuilder text, ulong value, int width)
        {
            int digits = 1;
            for (ulong v = value; v >= 10; v /= 10)
                digits++;
            Spaces(text, width - digits);
            text.Append(value);
        }

        private static void Field(StringBuilder text, long value) => text.Append(' ').Append(value);
        private static void Field(StringBuilder text, ulong value) => text.Append(' ').Append(value);

        private static void Zeros(StringBuilder text, int count)
        {
            for (int i = 0; i < count; i++)
                text.Append(" 0");
        }

        private static void Zeros(StringBuilder text, int count, char pad)
        {
            for (int i = 0; i < count; i++)
                text.Append(pad);
        }

        private static void Spaces(StringBuilder text, int count)
        {
            for (int i = 0; i < count; i++)
                text.Append(' ');
        }
    }
}
