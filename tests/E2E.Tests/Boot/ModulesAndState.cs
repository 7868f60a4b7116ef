// ModulesAndState.cs -- one boot with extra modules of every kind (gzip'd visor-tar, plain tar, tgz) and a saved
// state.tgz, and the checks that they took effect: each module mounted as a tardisk, its files visible (a later
// module overriding the base image), the sticky file restored with its content and mode. Shared by the direct
// (multiboot1) and the ISO (GRUB, multiboot2) boots, whose module plumbing differs.
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

public static class ModulesAndState
{
    private const string SavedConf = "/adv/Misc/HostName = \"saved\"";

    /// <summary>The boot bank's modules plus three extras and a state file named saved.tgz (it must arrive as state.tgz).</summary>
    public static QemuConfig Config(BootKind boot, TestModules files) => Guest.Config(boot) with
    {
        ExtraModules =
        [
            files.VisorTgz("extra.v00", ("etc/motd", "from extra.v00\n"), ("opt/extra/README", "extra\n")),
            files.Tar("plain.tar", gzip: false, ("opt/plain/a", "a\n")),
            files.Tar("bundle.tgz", gzip: true, ("opt/tgz/b", "b\n")),
        ],
        StateFile = files.State("saved.tgz", ("/etc/vmware/esx.conf", 0x3A4, SavedConf + "\n")),
    };

    /// <summary>After the prompt: every module is mounted and visible, the state is restored.</summary>
    public static async Task CheckAsync(Guest guest)
    {
        guest.Check(guest.Session.Text.Contains("VisorFs: state.tgz: restored 1 files", StringComparison.Ordinal),
            "no 'VisorFs: state.tgz: restored 1 files' line");
        string tardisks = await guest.RunAsync("ls /tardisks");
        var mounted = tardisks.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (string module in new[] { "s.v00", "extra.v00", "plain.tar", "bundle.tgz" })
            guest.Check(mounted.Contains(module), $"{module} is not mounted: ls /tardisks:\n{tardisks}");
        guest.Check(!mounted.Contains("state.tgz") && !mounted.Contains("saved.tgz"), $"the state file was mounted as a tardisk:\n{tardisks}");

        foreach (var (path, content) in new[]
        {
            ("/etc/motd", "from extra.v00"),   // s.v00 has its own motd: the later module wins
            ("/opt/extra/README", "extra"),
            ("/opt/plain/a", "a"),
            ("/opt/tgz/b", "b"),
            ("/etc/vmware/esx.conf", SavedConf),   // replaced whole by the saved copy
        })
        {
            string text = await guest.RunAsync("cat " + path);
            guest.Check(text.Trim() == content, $"cat {path}: expected '{content}', got:\n{text}");
        }
        string conf = await guest.RunAsync("ls -l /etc/vmware/esx.conf");
        guest.Check(Regex.IsMatch(conf, @"^-rw-r--r-T\s", RegexOptions.Multiline), $"the restored esx.conf is not sticky 01644:\n{conf}");
    }
}
