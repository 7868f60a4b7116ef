// ElfLoader.cs -- maps a static ELF64 x86-64 executable (ET_EXEC, or ET_DYN without an interpreter: static-PIE)
// into a user address space. The file is hostile input: every offset and size is checked against the file and
// the lower half before anything is mapped.
//
// Format (System V gABI, x86-64 psABI): header e_ident "\x7FELF", class 2 (64-bit) [4], data 1 (little endian)
// [5]; e_type u16 [16], e_machine u16 [18] (62 = x86-64), e_entry u64 [24], e_phoff u64 [32], e_phentsize u16
// [54], e_phnum u16 [56]. Program header (56 bytes): p_type u32 [0] (1 LOAD, 3 INTERP, 6 PHDR), p_flags u32 [4]
// (1 X, 2 W, 4 R), p_offset [8], p_vaddr [16], p_filesz [32], p_memsz [40].
using System;

namespace Kernel.User
{
    public struct ElfImage
    {
        public ulong Entry;          // load bias applied
        public ulong ProgramHeaders; // AT_PHDR: where the program headers are in memory (0 if not loaded)
        public ulong HeaderSize;     // AT_PHENT
        public ulong HeaderCount;    // AT_PHNUM
        public ulong Bias;           // 0 for ET_EXEC
        public ulong End;            // the highest mapped address + 1: brk starts at the next page
    }

    public static class ElfLoader
    {
        private const ushort TypeExecutable = 2, TypeShared = 3, MachineX86_64 = 62;
        private const uint LoadSegment = 1, InterpreterSegment = 3;
        private const uint FlagExecute = 1, FlagWrite = 2;
        private const int HeaderBytes = 64, ProgramHeaderBytes = 56, MaxProgramHeaders = 128;
        /// <summary>Where a static-PIE executable is placed (Linux picks a similar spot, 2/3 up the lower half).</summary>
        public const ulong PieBase = 0x0000_5555_5555_0000UL;

        /// <summary>Maps the image; null on success, else why the file is not a loadable static executable.</summary>
        public static string Load(UserAddressSpace space, ReadOnlySpan<byte> file, out ElfImage image)
        {
            image = default;
            if (file.Length < HeaderBytes || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
                return "not an ELF file";
            if (file[4] != 2 || file[5] != 1)
                return "not a 64-bit little-endian ELF file";
            ushort type = U16(file, 16);
            if (U16(file, 18) != MachineX86_64)
                return "not an x86-64 executable";
            if (type != TypeExecutable && type != TypeShared)
                return "not an executable";
            ulong phoff = U64(file, 32);
            ushort phentsize = U16(file, 54), phnum = U16(file, 56);
            if (phentsize < ProgramHeaderBytes || phnum == 0 || phnum > MaxProgramHeaders
                || phoff > (ulong)file.Length || (ulong)phentsize * phnum > (ulong)file.Length - phoff)
                return "bad program header table";
            ulong bias = type == TypeShared ? PieBase : 0;

            // Check every segment before mapping any.
            bool anyLoad = false;
            for (int i = 0; i < phnum; i++)
            {
                ReadOnlySpan<byte> ph = file.Slice((int)(phoff + (ulong)(i * phentsize)), ProgramHeaderBytes);
                uint ptype = U32(ph, 0);
                if (ptype == InterpreterSegment)
                    return "dynamically linked (has an interpreter); only static executables run";
                if (ptype != LoadSegment)
                    continue;
                ulong offset = U64(ph, 8), vaddr = U64(ph, 16) + bias, filesz = U64(ph, 32), memsz = U64(ph, 40);
                if (filesz > memsz || offset > (ulong)file.Length || filesz > (ulong)file.Length - offset)
                    return "segment outside the file";
                if (vaddr < UserAddressSpace.PageSize || !UserMemory.IsUserRange(vaddr, memsz) || vaddr + memsz > UserAddressSpace.MmapTop - (1UL << 32))
                    return "segment outside user memory";
                anyLoad = true;
            }
            if (!anyLoad)
                return "no loadable segment";

            for (int i = 0; i < phnum; i++)
            {
                ReadOnlySpan<byte> ph = file.Slice((int)(phoff + (ulong)(i * phentsize)), ProgramHeaderBytes);
                if (U32(ph, 0) != LoadSegment)
                    continue;
                uint flags = U32(ph, 4);
                ulong offset = U64(ph, 8), vaddr = U64(ph, 16) + bias, filesz = U64(ph, 32), memsz = U64(ph, 40);
                if (memsz == 0)
                    continue;
                if (!space.MapZeroed(vaddr, vaddr + memsz, (flags & FlagWrite) != 0, (flags & FlagExecute) != 0))
                    return "out of memory";
                if (!space.Write(vaddr, file.Slice((int)offset, (int)filesz)))
                    return "out of memory";
                if (vaddr + memsz > image.End)
                    image.End = vaddr + memsz;
                if (phoff >= offset && phoff + (ulong)phentsize * phnum <= offset + filesz)
                    image.ProgramHeaders = vaddr + (phoff - offset);
            }
            image.Entry = U64(file, 24) + bias;
            image.HeaderSize = phentsize;
            image.HeaderCount = phnum;
            image.Bias = bias;
            return null;
        }

        private static ushort U16(ReadOnlySpan<byte> b, int at) => (ushort)(b[at] | b[at + 1] << 8);
        private static uint U32(ReadOnlySpan<byte> b, int at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
        private static ulong U64(ReadOnlySpan<byte> b, int at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;
    }
}
