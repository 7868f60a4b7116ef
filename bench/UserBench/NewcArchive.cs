// NewcArchive.cs -- writes a cpio archive in the "newc" format, which is what Linux unpacks as an initramfs: per
// entry a 110-byte ASCII header (magic 070701, then 13 eight-digit hex fields), the name with its NUL, padding to 4
// bytes, the data, padding to 4 bytes; the archive ends with an entry named TRAILER!!!.
using System.Text;

namespace Vmk.Bench.UserBench;

internal sealed class NewcArchive
{
    private const int RegularFile = 0x8000;
    private const int Directory = 0x4000;
    private readonly MemoryStream _stream = new();
    private int _nextInode = 1;

    public void AddDirectory(string name) => Add(name, Directory | 0x1ED, []);

    public void AddFile(string name, byte[] data, int permissions = 0x1ED) => Add(name, RegularFile | permissions, data);

    public byte[] Finish()
    {
        Add("TRAILER!!!", 0, []);
        return _stream.ToArray();
    }

    private void Add(string name, int mode, byte[] data)
    {
        byte[] nameBytes = Encoding.ASCII.GetBytes(name + "\0");
        var header = new StringBuilder("070701");
        foreach (long field in new long[] { _nextInode++, mode, 0, 0, 1, 0, data.Length, 0, 0, 0, 0, nameBytes.Length, 0 })
            header.Append(field.ToString("X8"));
        Write(Encoding.ASCII.GetBytes(header.ToString()));
        Write(nameBytes);
        Pad();
        Write(data);
        Pad();
    }

    private void Write(byte[] bytes) => _stream.Write(bytes);

    private void Pad()
    {
        while (_stream.Length % 4 != 0)
            _stream.WriteByte(0);
    }
}
