// QemuFixture.cs -- what every QEMU test collection needs first: host tools installed, at most two QEMUs at once.
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Infrastructure;

/// <summary>Collection fixture: runs tools/ensure-host-tools.sh once per test run (installs the packages as root on a
/// fresh Debian machine) and fails the collection with its message when tools are missing.</summary>
public sealed class QemuFixture
{
    public QemuFixture()
    {
        int code = HostTools.EnsureOnce();
        if (code != ExitCodes.Success)
        {
            throw new InvalidOperationException(
                $"host tools missing: {RepoPaths.HostToolsScript} exited with {code}; run it as root to install them");
        }
    }
}

/// <summary>The machine has two cores: no more than two QEMUs run at the same time, whatever xunit schedules.</summary>
public static class QemuGate
{
    private static readonly SemaphoreSlim s_slots = new(2, 2);

    public static async Task<IDisposable> EnterAsync()
    {
        await s_slots.WaitAsync().ConfigureAwait(false);
        return new Release();
    }

    private sealed class Release : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                s_slots.Release();
            }
        }
    }
}

public static class Collections
{
    public const string Direct = "QEMU direct boot";
    public const string Bios = "QEMU BIOS ISO boot";
    public const string Uefi = "QEMU UEFI ISO boot";
    public const string Harness = "QEMU harness (fake kernel)";
}

[CollectionDefinition(Collections.Direct)]
public sealed class DirectCollection : ICollectionFixture<QemuFixture>;

[CollectionDefinition(Collections.Bios)]
public sealed class BiosCollection : ICollectionFixture<QemuFixture>;

[CollectionDefinition(Collections.Uefi)]
public sealed class UefiCollection : ICollectionFixture<QemuFixture>;

[CollectionDefinition(Collections.Harness)]
public sealed class HarnessCollection : ICollectionFixture<QemuFixture>, ICollectionFixture<FakeKernelFixture>;
