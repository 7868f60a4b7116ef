// BankChoice.cs -- which mounted FAT volumes are this boot's banks. The disk image's GRUB passes `bootbank=XXXX-XXXX`,
// the FAT serial of the bank it loaded the kernel from (as GRUB's `probe --fs-uuid` prints it); that volume is
// /bootbank and the other bank on the same disk (labelled BOOTBANK1 or BOOTBANK2) is /altbootbank. Without the
// option (the ISO, `qemu -kernel`, a test disk) the labels decide: BOOTBANK1 is /bootbank, BOOTBANK2 /altbootbank.
// Pure logic over (label, serial, disk) triples, so the host tests check it without a kernel.
namespace Kernel.Storage
{
    public struct BankCandidate
    {
        public string Label;
        public uint Serial;
        public string Disk;     // the device without its partition number: banks must be on one disk
    }

    public static class BankChoice
    {
        public const string Label = "BOOTBANK1", AltLabel = "BOOTBANK2";

        /// <summary>`5EED-0B01` (either case) -> 0x5EED0B01; anything else is refused.</summary>
        public static bool TryParseSerial(string text, out uint serial)
        {
            serial = 0;
            if (text == null || text.Length != 9 || text[4] != '-')
                return false;
            for (int i = 0; i < 9; i++)
            {
                if (i == 4)
                    continue;
                int digit = HexDigit(text[i]);
                if (digit < 0)
                    return false;
                serial = (serial << 4) | (uint)digit;
            }
            return true;
        }

        public static bool IsBankLabel(string label) => label == Label || label == AltLabel;

        /// <summary>
        /// Indexes into <paramref name="volumes"/> of the booted bank and the other one (-1: none). With a serial: the
        /// bank volume with that serial, and the other bank volume on its disk. A serial that names no bank volume
        /// gives (-1, -1): the caller reports it and falls back to the labels (<paramref name="serialGiven"/> false).
        /// </summary>
        public static void Choose(BankCandidate[] volumes, bool serialGiven, uint serial, out int bank, out int alt)
        {
            bank = -1;
            alt = -1;
            if (serialGiven)
            {
                for (int i = 0; i < volumes.Length && bank < 0; i++)
                    if (volumes[i].Serial == serial && IsBankLabel(volumes[i].Label))
                        bank = i;
                if (bank < 0)
                    return;
                for (int i = 0; i < volumes.Length && alt < 0; i++)
                    if (i != bank && IsBankLabel(volumes[i].Label) && volumes[i].Disk == volumes[bank].Disk)
                        alt = i;
                return;
            }
            for (int i = 0; i < volumes.Length; i++)
            {
                if (bank < 0 && volumes[i].Label == Label)
                    bank = i;
                else if (alt < 0 && volumes[i].Label == AltLabel)
                    alt = i;
            }
        }

        private static int HexDigit(char c)
        {
            if (c >= '0' && c <= '9')
                return c - '0';
            if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
            if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
            return -1;
        }
    }
}
