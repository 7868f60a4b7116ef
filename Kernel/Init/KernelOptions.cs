// KernelOptions.cs -- the kernel command line: space-separated `key` or `key=value` words from the boot loader,
// followed by the words the QEMU runner passes through fw_cfg (`opt/vmk/kernelopt`).
//
// Options are data: the table below lists every option with its default and meaning, and `help`-style listing
// and validation walk the same table. Unknown options and bad values are logged as warnings; boot continues
// with the default.
using System.Collections.Generic;
using Kernel.Logging;

namespace Kernel.Init
{
    public sealed class KernelOptions
    {
        private struct OptionSpec
        {
            public string Name;
            public string Default;
            public string Allowed;       // "|"-separated allowed values; null = any non-empty value; "" = flag;
                                         // "<hostname>" an RFC 1123 host name; "<seconds>" a whole number 1-86400;
                                         // "<logsize>" a whole number of KiB 16-65536
            public string Description;
        }

        private static OptionSpec[] Specs() => new OptionSpec[]
        {
            new OptionSpec { Name = "selftest", Default = null, Allowed = "", Description = "run the in-kernel self-tests, print `N registered` and `N passed, N failed`, exit QEMU" },
            new OptionSpec { Name = "loglevel", Default = "info", Allowed = "debug|info|warning|alert", Description = "lowest log level mirrored to the console" },
            new OptionSpec { Name = "panic", Default = "halt", Allowed = "halt|exit", Description = "after the panic screen: halt, or exit QEMU (debug-exit, status 37)" },
            new OptionSpec { Name = "hostname", Default = "localhost", Allowed = HostNameSyntax, Description = "host name shown in the shell prompt" },
            new OptionSpec { Name = "cronperiod", Default = "60", Allowed = SecondsSyntax, Description = "seconds per cron minute (tests shorten it)" },
            new OptionSpec { Name = "logsize", Default = "512", Allowed = LogSizeSyntax, Description = "KiB at which /var/log/vmkernel.log rotates (16-65536; ESXi's Syslog.global.defaultSize)" },
            new OptionSpec { Name = "timerhz", Default = "1000", Allowed = "100|250|1000", Description = "periodic timer interrupt rate" },
            new OptionSpec { Name = "noapic", Default = null, Allowed = "", Description = "ignore the local APIC and IOAPIC: the 8259 PIC and the PIT deliver interrupts and the tick (one CPU)" },
            new OptionSpec { Name = "gcverify", Default = null, Allowed = "", Description = "collector check mode: poison freed objects, verify every live reference after each collection" },
            new OptionSpec { Name = "gcstress", Default = "0", Allowed = null, Description = "collect every N-th allocation (0: only on the allocation budget)" },
            new OptionSpec { Name = "bootbank", Default = "", Allowed = SerialSyntax, Description = "FAT serial XXXX-XXXX of the bank the loader booted (the disk image's GRUB passes it): /bootbank links to it" },
            new OptionSpec { Name = "smp", Default = "park", Allowed = "all|park", Description = "worlds run on every CPU (all), or the application processors stay parked and worlds run on cpu0 (park, the default until SMP scheduling is proven under load)" },
            new OptionSpec { Name = "gcscan", Default = "precise", Allowed = "precise|conservative", Description = "stack scanning: managed frames by their GC info, or every stack word conservatively (diagnosis)" },
        };

        private readonly List<string> _names = new List<string>();
        private readonly List<string> _values = new List<string>();

        public string CommandLine { get; private set; } = "";

        /// <summary>
        /// Boot loaders put the kernel's own file name first (`qemu -kernel` and GRUB's multiboot do); it is not an
        /// option. A first word with a '/' and no '=' is taken for that name and dropped.
        /// </summary>
        public static string StripImagePath(string commandLine)
        {
            string trimmed = commandLine.Trim();
            int space = trimmed.IndexOf(' ');
            string first = space < 0 ? trimmed : trimmed.Substring(0, space);
            if (first.IndexOf('/') < 0 || first.IndexOf('=') >= 0)
                return trimmed;
            return space < 0 ? "" : trimmed.Substring(space + 1).Trim();
        }

        public static KernelOptions Parse(string commandLine)
        {
            var options = new KernelOptions { CommandLine = commandLine ?? "" };
            OptionSpec[] specs = Specs();
            string text = options.CommandLine;
            int i = 0;
            while (i < text.Length)
            {
                while (i < text.Length && text[i] == ' ')
                    i++;
                int start = i;
                while (i < text.Length && text[i] != ' ')
                    i++;
                if (i > start)
                    options.Add(specs, text.Substring(start, i - start));
            }
            return options;
        }

        private void Add(OptionSpec[] specs, string word)
        {
            int eq = word.IndexOf('=');
            string name = eq < 0 ? word : word.Substring(0, eq);
            string value = eq < 0 ? "" : word.Substring(eq + 1);
            for (int s = 0; s < specs.Length; s++)
            {
                if (specs[s].Name != name)
                    continue;
                if (!IsAllowed(specs[s].Allowed, value))
                {
                    Log.Warning("Init", string.Concat("Invalid value for kernel option '", word, "'; using the default"));
                    return;
                }
                Set(name, value);
                return;
            }
            Log.Warning("Init", string.Concat("Unknown kernel option '", word, "' ignored"));
        }

        private const string HostNameSyntax = "<hostname>";
        private const string SecondsSyntax = "<seconds>";
        private const string LogSizeSyntax = "<logsize>";
        private const string SerialSyntax = "<fatserial>";

        private static bool IsAllowed(string allowed, string value)
        {
            if (allowed == HostNameSyntax)
                return OptionSyntax.IsHostName(value);
            if (allowed == SecondsSyntax)
                return OptionSyntax.IsWholeNumber(value, 1, 86400);
            if (allowed == SerialSyntax)
                return Storage.BankChoice.TryParseSerial(value, out _);
            if (allowed == LogSizeSyntax)
                return OptionSyntax.IsWholeNumber(value, 16, 65536);
            if (allowed == null)
                return value.Length > 0;
            if (allowed.Length == 0)
                return value.Length == 0;
            int start = 0;
            while (start <= allowed.Length)
            {
                int bar = allowed.IndexOf('|', start);
                int end = bar < 0 ? allowed.Length : bar;
                if (end - start == value.Length && allowed.Substring(start, end - start) == value)
                    return true;
                start = end + 1;
            }
            return false;
        }

        private void Set(string name, string value)
        {
            for (int i = 0; i < _names.Count; i++)
            {
                if (_names[i] == name)
                {
                    _values[i] = value;
                    return;
                }
            }
            _names.Add(name);
            _values.Add(value);
        }

        public bool Has(string name)
        {
            for (int i = 0; i < _names.Count; i++)
                if (_names[i] == name)
                    return true;
            return false;
        }

        public string Get(string name)
        {
            for (int i = 0; i < _names.Count; i++)
                if (_names[i] == name)
                    return _values[i];
            OptionSpec[] specs = Specs();
            for (int s = 0; s < specs.Length; s++)
                if (specs[s].Name == name)
                    return specs[s].Default;
            return null;
        }

        /// <summary>One line per known option: name, default, meaning.</summary>
        public static string Describe()
        {
            var sb = new System.Text.StringBuilder();
            OptionSpec[] specs = Specs();
            for (int s = 0; s < specs.Length; s++)
            {
                sb.Append("  ").Append(specs[s].Name.PadRight(10));
                sb.Append(specs[s].Default == null ? "(flag)     " : string.Concat("=", specs[s].Default).PadRight(11));
                sb.Append(specs[s].Description).Append('\n');
            }
            return sb.ToString();
        }
    }
}
