// KernelImage.cs -- the kernel ILC built (artifacts/kernel/kernel.elf), loaded into host memory with its
// loadable segments at their link-time distances, so the image's relative pointers (eh_frame_hdr, FDEs, LSDAs,
// GC info) work as they do in the kernel. Host tests read the real compiler output through it.
using System.Runtime.InteropServices;
using System.Text;

namespace Vmk.Kernel.Tests;

public sealed unsafe class KernelImage : IDisposable
{
    private readonly byte[] _file;
    private readonly ulong _lowVaddr;
    private readonly ulong _size;

    public byte* Base { get; }
    public string Path { get; }

    private KernelImage(string path)
    {
        Path = path;
        _file = File.ReadAllBytes(path);
        ulong phoff = U64(0x20);
        int phentsize = U16(0x36), phnum = U16(0x38);
        ulong low = ulong.MaxValue, high = 0;
        for (int i = 0; i < phnum; i++)
        {
            int ph = (int)phoff + i * phentsize;
            if (U32(ph) != 1)                                  // PT_LOAD
                continue;
            ulong vaddr = U64(ph + 0x10), memsz = U64(ph + 0x28);
            low = Math.Min(low, vaddr);
            high = Math.Max(high, vaddr + memsz);
        }
        _lowVaddr = low;
        _size = high - low + 64;                               // slack: the bit reader loads 8 bytes at a time
        Base = (byte*)NativeMemory.AllocZeroed((nuint)_size);
        for (int i = 0; i < phnum; i++)
        {
            int ph = (int)phoff + i * phentsize;
            if (U32(ph) != 1)
                continue;
            ulong offset = U64(ph + 0x08), vaddr = U64(ph + 0x10), filesz = U64(ph + 0x20);
            Marshal.Copy(_file, (int)offset, (nint)(Base + (vaddr - low)), (int)filesz);
        }
    }

    /// <summary>The built kernel, found from the test's directory upwards.</summary>
    public static KernelImage Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "artifacts", "kernel", "kernel.elf");
            if (File.Exists(candidate))
                return new KernelImage(candidate);
        }
        throw new FileNotFoundException("artifacts/kernel/kernel.elf not found: run `dotnet build` first");
    }

    public byte* At(ulong vaddr) => Base + (vaddr - _lowVaddr);

    public ulong VaddrOf(byte* p) => (ulong)(p - Base) + _lowVaddr;

    public ulong VaddrOf(ulong hostAddress) => hostAddress - (ulong)Base + _lowVaddr;

    /// <summary>A section's [start, end) link-time addresses, by name.</summary>
    public (ulong Start, ulong End) Section(string name)
    {
        ulong shoff = U64(0x28);
        int shentsize = U16(0x3A), shnum = U16(0x3C), shstrndx = U16(0x3E);
        ulong strtab = U64((int)shoff + shstrndx * shentsize + 0x18);
        for (int i = 0; i < shnum; i++)
        {
            int sh = (int)shoff + i * shentsize;
            int nameOffset = (int)strtab + (int)U32(sh);
            int end = Array.IndexOf(_file, (byte)0, nameOffset);
            if (Encoding.ASCII.GetString(_file, nameOffset, end - nameOffset) == name)
            {
                ulong addr = U64(sh + 0x10), size = U64(sh + 0x20);
                return (addr, addr + size);
            }
        }
        throw new InvalidOperationException($"no section {name} in {Path}");
    }

    private ulong U64(int at) => BitConverter.ToUInt64(_file, at);
    private uint U32(int at) => BitConverter.ToUInt32(_file, at);
    private int U16(int at) => BitConverter.ToUInt16(_file, at);

    public void Dispose() => NativeMemory.Free(Base);
}
