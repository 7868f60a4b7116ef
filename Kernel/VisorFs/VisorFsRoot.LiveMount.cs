// VisorFsRoot.LiveMount.cs -- live tardisk mounts: copying or moving an archive file into /tardisks mounts it as
// the topmost tardisk (inflated first if gzip'd), as ESXi installs a component on a running host.
using System;
using Kernel.Logging;
using Kernel.Resources;

namespace Kernel.VisorFs
{
    public sealed partial class VisorFsRoot
    {
        private unsafe Errno MountFromFile(FsNode from, string name)
        {
            if (name.Length == 0 || FindTardisk(name) != null)
                return name.Length == 0 ? Errno.EINVAL : Errno.EEXIST;
            PageRun staging = null;
            ulong address;
            long length;
            if (from.Ram != null || from.Volume != null)
            {
                // A ramdisk file is scattered over pages, a volume's is on the disk: gather it first (charged to the
                // tardisk pool).
                length = from.Size;
                staging = PageRun.TryAllocate(Tree, TardiskGroup, length, out ResourceGroup refused);
                if (staging == null)
                {
                    Log.Warning("VisorFs", string.Concat("Cannot mount ", name, string.Concat(": no room in ", refused.Path)));
                    return Errno.ENOSPC;
                }
                var into = new Span<byte>(staging.Pointer, (int)length);
                if (from.Ram != null)
                {
                    Ramdisk.Read(from.Ram, 0, into);
                }
                else
                {
                    Errno e = from.Volume.Read(from.VolumePath, 0, into, out int read);
                    if (e != Errno.Ok || read != length)
                    {
                        staging.Free();
                        Log.Warning("VisorFs", string.Concat("Cannot mount ", name, ": reading it from ", from.Volume.MountPath, " failed"));
                        return e != Errno.Ok ? e : Errno.EIO;
                    }
                }
                address = staging.Address;
            }
            else
            {
                ReadOnlySpan<byte> data = from.TardiskFile != null ? from.TardiskFile.Bytes : from.Tar.Data(from.Entry);
                fixed (byte* p = data)
                    address = (ulong)p;
                length = data.Length;
            }
            Tardisk disk = TardiskLoader.Load(this, name, address, length, false, out string why);
            staging?.Free();
            if (disk == null)
            {
                Log.Warning("VisorFs", string.Concat("Cannot mount ", name, ": ", why));
                return why != null && why.StartsWith("no room") ? Errno.ENOSPC : Errno.EINVAL;
            }
            AddTardisk(disk);
            Log.Info("VisorFs", string.Concat("Tardisk ", name, " mounted live"));
            return Errno.Ok;
        }
    }
}
