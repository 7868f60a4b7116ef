// CivilTime.cs -- converts between Unix time and calendar fields (proleptic Gregorian, UTC), allocation-free.
namespace Kernel.Time
{
    public struct CivilTime
    {
        public int Year, Month, Day, Hour, Minute, Second, Millisecond;

        // Days from 1970-01-01 to a civil date (H. Hinnant's days_from_civil algorithm).
        public static long DaysFromCivil(int year, int month, int day)
        {
            long y = month <= 2 ? year - 1 : year;
            long era = (y >= 0 ? y : y - 399) / 400;
            long yoe = y - era * 400;
            long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
            long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            return era * 146097 + doe - 719468;
        }

        public static CivilTime FromUnixMilliseconds(long ms)
        {
            CivilTime t = default;
            long seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
            t.Millisecond = (int)(ms - seconds * 1000);
            long days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
            long rem = seconds - days * 86400;
            t.Hour = (int)(rem / 3600);
            t.Minute = (int)(rem % 3600 / 60);
            t.Second = (int)(rem % 60);
            long z = days + 719468;
            long era = (z >= 0 ? z : z - 146096) / 146097;
            long doe = z - era * 146097;
            long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            long mp = (5 * doy + 2) / 153;
            t.Day = (int)(doy - (153 * mp + 2) / 5 + 1);
            t.Month = (int)(mp < 10 ? mp + 3 : mp - 9);
            t.Year = (int)(yoe + era * 400 + (t.Month <= 2 ? 1 : 0));
            return t;
        }

        public static long ToUnixSeconds(int year, int month, int day, int hour, int minute, int second)
            => DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    }
}
