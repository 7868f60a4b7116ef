// FsEvents.cs -- the VisorFS events ESXi raises (vobd), logged with their ids and texts word for word.
using Kernel.Logging;

namespace Kernel.VisorFs
{
    public static class FsEvents
    {
        public static void RamdiskFull(string ramdisk, string path)
            => Log.Warning("VisorFs", string.Concat("[esx.problem.visorfs.ramdisk.full] The ramdisk '", ramdisk,
                string.Concat("' is full. As a result, the file ", path, " could not be written.")));

        public static void InodeTableFull(string ramdisk, string path, string application)
            => Log.Warning("VisorFs", string.Concat("[esx.problem.visorfs.ramdisk.inodetable.full] The file table of the ramdisk '", ramdisk,
                string.Concat("' is full. As a result, the file ", path, string.Concat(" could not be created by the application '", application, "'."))));

        public static void Failure(string what)
            => Log.Warning("VisorFs", string.Concat("[esx.problem.visorfs.failure] An operation on the root file system has failed. (", what, ")"));
    }
}
