// FwCfg.cs -- QEMU's firmware configuration interface (I/O ports 0x510/0x511), used to read the extra kernel
// options the runner passes with `-fw_cfg name=opt/vmk/kernelopt,string=...` (works the same for ISO and direct
// boots, without rebuilding the ISO). Absent on real hardware: the signature check fails and nothing is read.
//
// Protocol: write a 16-bit selector to 0x510, read bytes from 0x511. Selector 0 returns "QEMU"; selector 0x19 is
// the file directory: a big-endian u32 count, then entries {be32 size, be16 select, be16 reserved, char name[56]}.
using Kernel.Arch;

namespace Drivers.Platform
{
    public static class FwCfg
    {
        private const ushort SELECTOR_PORT = 0x510;
        private const ushort DATA_PORT = 0x511;
        private const ushort SIGNATURE_SELECTOR = 0x0000;
        private const ushort FILE_DIRECTORY_SELECTOR = 0x0019;
        private const int MaxFileBytes = 4096;

        public static bool IsPresent()
        {
            Cpu.OutWord(SELECTOR_PORT, SIGNATURE_SELECTOR);
            return Cpu.InByte(DATA_PORT) == 'Q' && Cpu.InByte(DATA_PORT) == 'E' && Cpu.InByte(DATA_PORT) == 'M' && Cpu.InByte(DATA_PORT) == 'U';
        }

        /// <summary>Reads a named fw_cfg file as ASCII text; null if QEMU is absent or the file does not exist.</summary>
        public static unsafe string ReadFileText(string name)
        {
            byte* buffer = stackalloc byte[MaxFileBytes];
            int n = ReadFile(name, buffer, MaxFileBytes);
            if (n < 0)
                return null;
            char[] chars = new char[n];
            for (int i = 0; i < n; i++)
                chars[i] = (char)buffer[i];
            return new string(chars, 0, n);
        }

        /// <summary>
        /// Copies a named fw_cfg file (up to its first NUL) into a buffer without allocating, so it also works before
        /// the heap exists; returns the byte count, or -1 if QEMU is absent or the file does not exist.
        /// </summary>
        public static unsafe int ReadFile(string name, byte* buffer, int capacity)
        {
            if (!IsPresent())
                return -1;
            Cpu.OutWord(SELECTOR_PORT, FILE_DIRECTORY_SELECTOR);
            uint count = ReadBigEndian32();
            for (uint i = 0; i < count && i < 1024; i++)
            {
                uint size = ReadBigEndian32();
                ushort select = (ushort)((Cpu.InByte(DATA_PORT) << 8) | Cpu.InByte(DATA_PORT));
                Cpu.InByte(DATA_PORT);
                Cpu.InByte(DATA_PORT);
                // Compare the 56-byte, NUL-padded entry name as it streams in.
                bool matches = true;
                for (int c = 0; c < 56; c++)
                {
                    byte b = Cpu.InByte(DATA_PORT);
                    char expected = c < name.Length ? name[c] : '\0';
                    if (b != expected)
                        matches = false;
                }
                if (!matches || name.Length > 55)
                    continue;
                Cpu.OutWord(SELECTOR_PORT, select);
                int bytes = size > (uint)capacity ? capacity : (int)size;
                int n = 0;
                for (int b = 0; b < bytes; b++)
                {
                    byte value = Cpu.InByte(DATA_PORT);
                    if (value == 0)
                        break;
                    buffer[n++] = value;
                }
                return n;
            }
            return -1;
        }

        private static uint ReadBigEndian32()
        {
            uint value = 0;
            for (int i = 0; i < 4; i++)
                value = (value << 8) | Cpu.InByte(DATA_PORT);
            return value;
        }
    }
}
