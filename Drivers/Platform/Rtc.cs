// Rtc.cs -- the CMOS real-time clock: read once at boot (twice until two reads agree, so an update in progress
// cannot tear the value) to give the log and `uptime` wall-clock time. The RTC holds UTC on our machines (QEMU's
// default); BCD and 12-hour formats are decoded from status register B.
using Kernel.Arch;
using Kernel.Time;

namespace Drivers.Platform
{
    public static class Rtc
    {
        private const ushort CMOS_INDEX = 0x70, CMOS_DATA = 0x71;

        private static byte Read(byte register)
        {
            Cpu.OutByte(CMOS_INDEX, (byte)(0x80 | register));   // bit 7 keeps NMIs disabled while we talk to the chip
            return Cpu.InByte(CMOS_DATA);
        }

        private static bool UpdateInProgress => (Read(0x0A) & 0x80) != 0;

        private static ulong Snapshot()
        {
            for (int spins = 0; spins < 1000000 && UpdateInProgress; spins++)
                Cpu.Pause();
            return Read(0x00) | (ulong)Read(0x02) << 8 | (ulong)Read(0x04) << 16 | (ulong)Read(0x07) << 24
                | (ulong)Read(0x08) << 32 | (ulong)Read(0x09) << 40 | (ulong)Read(0x32) << 48;
        }

        private static int Decode(ulong snapshot, int index, bool bcd)
        {
            int value = (int)((snapshot >> (index * 8)) & 0xFF);
            return bcd ? (value & 0x0F) + (value >> 4) * 10 : value;
        }

        /// <summary>Unix seconds now, or -1 if the RTC reads nonsense.</summary>
        public static long ReadUnixSeconds()
        {
            ulong a = Snapshot(), b = Snapshot();
            for (int i = 0; i < 5 && a != b; i++)
            {
                a = b;
                b = Snapshot();
            }
            byte statusB = Read(0x0B);
            bool bcd = (statusB & 0x04) == 0;
            bool twelveHour = (statusB & 0x02) == 0;
            int second = Decode(b, 0, bcd), minute = Decode(b, 1, bcd);
            int hourRaw = (int)((b >> 16) & 0xFF);
            bool pm = (hourRaw & 0x80) != 0;
            int hour = Decode(b & ~(0x80UL << 16), 2, bcd);
            if (twelveHour)
                hour = hour % 12 + (pm ? 12 : 0);
            int day = Decode(b, 3, bcd), month = Decode(b, 4, bcd), year = Decode(b, 5, bcd);
            int century = Decode(b, 6, bcd);
            year += century >= 19 && century <= 21 ? century * 100 : 2000;
            if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
                return -1;
            return CivilTime.ToUnixSeconds(year, month, day, hour, minute, second);
        }

        public static void SetWallClockFromRtc()
        {
            long now = ReadUnixSeconds();
            if (now > 0)
                Clock.SetWallClock(now);
        }
    }
}
