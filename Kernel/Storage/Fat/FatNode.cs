// FatNode.cs -- one file or directory of a FAT volume as a lookup found it: its name (the long name when it has one),
// what its 32-byte entry says, and where that entry lives (the containing directory and the slot), so a write can
// update its size and first cluster in place.
namespace Kernel.Storage.Fat
{
    public sealed class FatNode
    {
        public const byte AttrReadOnly = 0x01, AttrHidden = 0x02, AttrSystem = 0x04, AttrVolumeId = 0x08;
        public const byte AttrDirectory = 0x10, AttrArchive = 0x20, AttrLongName = 0x0F;

        public string Name;
        public byte[] ShortName;       // the 11 bytes of its short entry
        public byte Attributes;
        public uint FirstCluster;
        public uint Size;
        public long ModificationTime;  // Unix seconds, from the entry's local date and time taken as UTC

        public uint DirCluster;        // first cluster of the containing directory; 0 = FAT12/16's fixed root
        public int EntrySlot = -1;     // slot of the short entry in that directory; -1 for the root itself
        public int LongSlots;          // long-name slots just before it

        public bool IsDirectory => (Attributes & AttrDirectory) != 0;
        public bool IsRoot => EntrySlot < 0;
    }
}
