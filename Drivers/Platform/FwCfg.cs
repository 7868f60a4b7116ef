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
        public static string ReadFileText(string name)
        {
            if (!IsPresent())
                return null;
            Cpu.OutWord(SELECTOR_PORT, FILE_DIRECTORY_SELECTOR);
            uint count = ReadBigEndian32();
            char[] entryName = new char[56];
            for (uint i = 0; i < count && i < 1024; i++)
            {
                uint size = ReadBigEndian32();
                ushort select = (ushort)((Cpu.InByte(DATA_PORT) << 8) | Cpu.InByte(DATA_PORT));
                Cpu.InByte(DATA_PORT);
                Cpu.InByte(DATA_PORT);
                int length = 0;
                for (int c = 0; c < 56; c++)
                {
                    byte b = Cpu.InByte(DATA_PORT);
                    if (b == 0 && length == c)
                        length = c;
                    entryName[c] = (char)b;
                    if (b != 0)
                        length = c + 1;
                }
                if (!Matches(entryName, length, name))
                    continue;
                Cpu.OutWord(SELECTOR_PORT, select);
                int bytes = size > MaxFileBytes ? MaxFileBytes : (int)size;
                char[] text = new char[bytes];
                int n = 0;
                for (int b = 0; b < bytes; b++)
                {
                    byte value = Cpu.InByte(DATA_PORT);
                    if (value == 0)
                        break;
                    text[n++] = (char)value;
                }
                return new string(text, 0, n);
            }
            return null;
        }

        private static bool Matches(char[] entry, int length, string name)
        {
            if (length != name.Length)
                return false;
            for (int i = 0; i < length; i++)
                if (entry[i] != name[i])
                    return false;
            return true;
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
