// UserImage.cs -- the extra tardisk the userworld tests boot with: the host's Debian busybox as /bin/busybox and/or
// test programs (UserPrograms) as /bin/NAME, executable, in one gzip'd visor-tar beside the base image.
using Vmk.E2E.Tests.Infrastructure;
using Vmk.E2E.Tests.VisorFs;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.User;

internal static class UserImage
{
    private const int Executable = 0x1ED;   // 0755

    /// <summary>The host's busybox as bin/busybox.</summary>
    public static global::VisorFs.VisorTarMember Busybox() => BootModules.File("bin/busybox", File.ReadAllBytes("/bin/busybox"), Executable);

    /// <summary>Each test program as bin/NAME.</summary>
    public static IEnumerable<global::VisorFs.VisorTarMember> Programs(params string[] names) =>
        names.Select(n => BootModules.File("bin/" + n, UserPrograms.Read(n), Executable));

    /// <summary>A direct boot with <paramref name="members"/> in one extra tardisk named <paramref name="name"/>.</summary>
    public static QemuConfig Config(BootModules modules, string name, IEnumerable<global::VisorFs.VisorTarMember> members)
    {
        string module = modules.Add(name, BootModules.Gzip(BootModules.VisorTar(members.ToList())));
        return Guest.Config(BootKind.Direct) with { ExtraModules = [module] };
    }

    /// <summary>A direct boot with busybox in busybox.v00.</summary>
    public static QemuConfig WithBusybox(BootModules modules) => Config(modules, "busybox.v00", [Busybox()]);
}
