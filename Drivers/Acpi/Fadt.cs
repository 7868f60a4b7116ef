// Fadt.cs -- the Fixed ACPI Description Table ("FACP"): the power-management ports, the ACPI mode switch, the
// reset register and where the DSDT is.
//
// Layout (ACPI 6.x, 5.2.9; offsets from the table start, after the 36-byte header):
//   36 u32 FIRMWARE_CTRL   40 u32 DSDT          48 u32 SMI_CMD      52 u8 ACPI_ENABLE   53 u8 ACPI_DISABLE
//   64 u32 PM1a_CNT_BLK    68 u32 PM1b_CNT_BLK  89 u8 PM1_CNT_LEN   112 u32 Flags (bit 10 RESET_REG_SUP)
//   116 GAS RESET_REG      128 u8 RESET_VALUE   (ACPI 2.0+, length >= 129)
//   140 u64 X_DSDT (length >= 148)   172 GAS X_PM1a_CNT_BLK   184 GAS X_PM1b_CNT_BLK (length >= 196)
// A GAS (generic address structure) is {u8 space (0 memory, 1 system I/O), u8 bit width, u8 bit offset,
// u8 access size, u64 address}. A field is used only when the table's length covers it; X_ fields win over the
// 32-bit ones when set, as the specification requires.
namespace Drivers.Acpi
{
    public static unsafe class Fadt
    {
        public const byte SpaceMemory = 0, SpaceSystemIO = 1;
        private const uint ResetRegisterSupported = 1u << 10;

        public static bool IsPresent { get; private set; }
        public static byte Revision { get; private set; }
        public static ulong Dsdt { get; private set; }
        public static ushort Pm1aControl { get; private set; }
        public static ushort Pm1bControl { get; private set; }
        public static ushort SmiCommand { get; private set; }
        public static byte AcpiEnable { get; private set; }
        public static bool HasResetRegister { get; private set; }
        public static byte ResetSpace { get; private set; }
        public static ulong ResetAddress { get; private set; }
        public static byte ResetValue { get; private set; }

        /// <summary>Reads the fields of a mapped, checksum-verified FADT of `length` bytes.</summary>
        public static bool Parse(byte* t, uint length)
        {
            if (length < 116)
                return false;
            Revision = t[8];
            Dsdt = *(uint*)(t + 40);
            SmiCommand = PortOrZero(*(uint*)(t + 48));
            AcpiEnable = t[52];
            Pm1aControl = PortOrZero(*(uint*)(t + 64));
            Pm1bControl = PortOrZero(*(uint*)(t + 68));
            uint flags = *(uint*)(t + 112);

            if (length >= 129 && (flags & ResetRegisterSupported) != 0)
            {
                byte space = t[116];
                ulong address = *(ulong*)(t + 120);
                if (address != 0 && (space == SpaceSystemIO && address <= 0xFFFF || space == SpaceMemory))
                {
                    HasResetRegister = true;
                    ResetSpace = space;
                    ResetAddress = address;
                    ResetValue = t[128];
                }
            }
            if (length >= 148 && *(ulong*)(t + 140) != 0)
                Dsdt = *(ulong*)(t + 140);
            if (length >= 196)
            {
                ushort x = IOPortOf(t + 172);
                if (x != 0)
                    Pm1aControl = x;
                x = IOPortOf(t + 184);
                if (x != 0)
                    Pm1bControl = x;
            }
            IsPresent = true;
            return true;
        }

        /// <summary>For a reset register that Power finds unusable (it would overlap kernel memory).</summary>
        public static void IgnoreResetRegister() => HasResetRegister = false;

        // Legacy 32-bit block fields hold I/O port numbers on x86; anything above 16 bits is firmware garbage.
        private static ushort PortOrZero(uint value) => value <= 0xFFFF ? (ushort)value : (ushort)0;

        private static ushort IOPortOf(byte* gas)
        {
            ulong address = *(ulong*)(gas + 4);
            return gas[0] == SpaceSystemIO && address <= 0xFFFF ? (ushort)address : (ushort)0;
        }
    }
}
