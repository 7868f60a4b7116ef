// CronTab.cs -- parses a crontab (the root crontab ESXi runs hourly backups from) and answers "is this line due
// at this minute". Format, per line: `MINUTE HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK COMMAND...`, `#` starts a
// comment, blank lines are ignored. Each field is `*`, a number, a range `a-b`, a list `a,b,c`, or a step `*/n` or
// `a-b/n`. Day of week is 0-6 with 0 = Sunday (7 is accepted as Sunday too). When both day fields are restricted,
// either may match (cron's rule). A malformed line is reported and skipped; the rest of the table still runs.
// Pure logic (no kernel dependencies): unit-tested on the host.
using System.Collections.Generic;

namespace Kernel.Services
{
    public sealed class CronEntry
    {
        public ulong Minutes;      // bit n = minute n
        public uint Hours;
        public uint Days;          // bits 1-31
        public ushort Months;      // bits 1-12
        public byte Weekdays;      // bits 0-6
        public bool DayRestricted, WeekdayRestricted;
        public string Command;

        public bool IsDue(int minute, int hour, int day, int month, int weekday)
        {
            if ((Minutes & (1UL << minute)) == 0 || (Hours & (1u << hour)) == 0 || (Months & (1 << month)) == 0)
                return false;
            bool dayMatch = (Days & (1u << day)) != 0;
            bool weekdayMatch = (Weekdays & (1 << weekday)) != 0;
            if (DayRestricted && WeekdayRestricted)
                return dayMatch || weekdayMatch;
            return dayMatch && weekdayMatch;
        }
    }

    public sealed class CronTab
    {
        private readonly List<CronEntry> _entries = new List<CronEntry>();
        private readonly List<string> _errors = new List<string>();

        public int Count => _entries.Count;
        public CronEntry this[int index] => _entries[index];
        public int ErrorCount => _errors.Count;
        public string Error(int index) => _errors[index];

        public static CronTab Parse(string text)
        {
            var table = new CronTab();
            int lineNumber = 0, start = 0;
            while (start <= text.Length)
            {
                int end = text.IndexOf('\n', start);
                if (end < 0)
                    end = text.Length;
                lineNumber++;
                string line = text.Substring(start, end - start).Trim();
                if (line.Length > 0 && line[0] != '#')
                {
                    CronEntry entry = ParseLine(line, out string problem);
                    if (entry != null)
                        table._entries.Add(entry);
                    else
                        table._errors.Add(string.Concat("line ", lineNumber.ToString(), ": ", problem));
                }
                if (end == text.Length)
                    break;
                start = end + 1;
            }
            return table;
        }

        public static CronEntry ParseLine(string line, out string problem)
        {
            problem = null;
            var fields = new string[5];
            int position = 0;
            for (int f = 0; f < 5; f++)
            {
                while (position < line.Length && (line[position] == ' ' || line[position] == '\t'))
                    position++;
                int start = position;
                while (position < line.Length && line[position] != ' ' && line[position] != '\t')
                    position++;
                if (position == start)
                {
                    problem = "expected five time fields and a command";
                    return null;
                }
                fields[f] = line.Substring(start, position - start);
            }
            string command = position < line.Length ? line.Substring(position).Trim() : "";
            if (command.Length == 0)
            {
                problem = "no command";
                return null;
            }
            var entry = new CronEntry { Command = command, DayRestricted = fields[2] != "*", WeekdayRestricted = fields[4] != "*" };
            if (!ParseField(fields[0], 0, 59, out ulong minutes) || !ParseField(fields[1], 0, 23, out ulong hours)
                || !ParseField(fields[2], 1, 31, out ulong days) || !ParseField(fields[3], 1, 12, out ulong months)
                || !ParseField(fields[4], 0, 7, out ulong weekdays))
            {
                problem = "bad time field";
                return null;
            }
            entry.Minutes = minutes;
            entry.Hours = (uint)hours;
            entry.Days = (uint)days;
            entry.Months = (ushort)months;
            entry.Weekdays = (byte)((weekdays & 0x7F) | ((weekdays >> 7) & 1));   // 7 is Sunday too
            return entry;
        }

        private static bool ParseField(string field, int low, int high, out ulong bits)
        {
            bits = 0;
            int start = 0;
            while (start <= field.Length)
            {
                int comma = field.IndexOf(',', start);
                int end = comma < 0 ? field.Length : comma;
                if (!ParseItem(field.Substring(start, end - start), low, high, ref bits))
                    return false;
                if (comma < 0)
                    break;
                start = comma + 1;
            }
            return true;
        }

        private static bool ParseItem(string item, int low, int high, ref ulong bits)
        {
            int step = 1;
            int slash = item.IndexOf('/');
            if (slash >= 0)
            {
                if (!int.TryParse(item.Substring(slash + 1), out step) || step < 1 || step > high)
                    return false;
                item = item.Substring(0, slash);
            }
            int from, to;
            if (item == "*")
            {
                from = low;
                to = high;
            }
            else
            {
                int dash = item.IndexOf('-');
                if (dash < 0)
                {
                    if (!int.TryParse(item, out from))
                        return false;
                    to = slash >= 0 ? high : from;
                }
                else if (!int.TryParse(item.Substring(0, dash), out from) || !int.TryParse(item.Substring(dash + 1), out to))
                {
                    return false;
                }
            }
            if (from < low || to > high || from > to)
                return false;
            for (int v = from; v <= to; v += step)
                bits |= 1UL << v;
            return true;
        }
    }
}
