// FatTime.cs -- FAT's 16-bit date ((year - 1980) << 9 | month << 5 | day) and time (hour << 11 | minute << 5 |
// second / 2) from and to Unix seconds. FAT stores local time; the kernel keeps UTC and has no time zone, so UTC it
// is (mtools and Linux's vfat with tz=UTC read the same clock).
using Kernel.Time;

namespace Kernel.Storage.Fat
{
    public static class FatTime
    {
        private static readonly long Epoch = CivilTime.ToUnixSeconds(1980, 1, 1, 0, 0, 0);

        public static long ToUnix(uint date, uint time)
        {
            int month = (int)(date >> 5 & 15), day = (int)(date & 31);
            if (month < 1 || month > 12 || day < 1)
                return Epoch;   // no date or a nonsense one: the FAT epoch
            return CivilTime.ToUnixSeconds(1980 + (int)(date >> 9), month, day, (int)(time >> 11) % 24, (int)(time >> 5 & 63) % 60, (int)(time & 31) * 2 % 60);
        }

        public static void FromUnix(long seconds, out ushort date, out ushort time)
        {
            if (seconds < Epoch)
                seconds = Epoch;
            CivilTime t = CivilTime.FromUnixMilliseconds(seconds * 1000);
            if (t.Year > 2107)
            {
                date = (127 << 9) | (12 << 5) | 31;
                time = (23 << 11) | (59 << 5) | 29;
                return;
            }
            date = (ushort)((t.Year - 1980) << 9 | t.Month << 5 | t.Day);
            time = (ushort)(t.Hour << 11 | t.Minute << 5 | t.Second / 2);
        }
    }
}
