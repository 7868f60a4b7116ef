// ResourceGroupTreeTests.cs -- the resource group tree's arithmetic: admission control of reservations, charging
// against limits and sibling reservations, paths, removal; and the OOM victim choice.
using CsCheck;
using Kernel.Resources;

namespace Kernel.Tests;

public class ResourceGroupTreeTests
{
    private const long MB = 1L << 20;

    private static ResourceGroupTree Standard(long total = 1024 * MB) => ResourceGroupTree.CreateStandard(total);

    [Fact]
    public void StandardTreeHasEsxiGroupsWithTheirIds()
    {
        var tree = Standard();
        Assert.Equal(0, tree.Root.Id);
        Assert.Equal("host", tree.Root.Path);
        Assert.Equal(1, tree.Find("host/system")!.Id);
        Assert.Equal(2, tree.Find("host/vim")!.Id);
        Assert.Equal(3, tree.Find("host/iofilters")!.Id);
        Assert.Equal(4, tree.Find("user")!.Id);
        Assert.Null(tree.Find("host/nope"));
        Assert.Null(tree.Find(""));
        Assert.Null(tree.Find("host//system"));
    }

    [Fact]
    public void ChargeUnchecked_MovesMemoryThatExists_PastLimitsAndReservations()
    {
        // A retired group heap's pages become host/system's: no limit or reservation may refuse what is already in use.
        var tree = Standard();
        ResourceGroup system = tree.Find("host/system")!;
        Assert.Equal(GroupError.None, tree.AddPath("host/user/a", out ResourceGroup a));
        Assert.Equal(GroupError.None, tree.Add(tree.Find("host/user")!, "r", 1000 * MB, ResourceGroup.Unlimited, out _));
        Assert.Null(tree.TryCharge(a, 10 * MB));
        Assert.NotNull(tree.TryCharge(system, 20 * MB));          // the reservation of host/user/r protects it
        tree.Uncharge(a, 10 * MB);
        tree.ChargeUnchecked(system, 20 * MB);
        Assert.Equal(20 * MB, system.MemSize);
        Assert.Equal(20 * MB, system.MemSizePeak);
        Assert.Equal(20 * MB, tree.Root.MemSize);
        Assert.Equal(0, a.MemSize);
        Assert.Equal(0, tree.Find("host/user")!.MemSize);
    }

    [Fact]
    public void AddPathCreatesMissingGroupsAndFindsThem()
    {
        var tree = Standard();
        Assert.Equal(GroupError.None, tree.AddPath("host/vim/vmvisor/hostd", out var hostd));
        Assert.Equal("host/vim/vmvisor/hostd", hostd.Path);
        Assert.Same(hostd, tree.Find("vim/vmvisor/hostd"));
        Assert.Equal(GroupError.None, tree.AddPath("host/vim/vmvisor/hostd", out var again));
        Assert.Same(hostd, again);
        Assert.Equal(GroupError.BadName, tree.AddPath("host/bad name", out _));
    }

    [Fact]
    public void ReservationMustFitTheParentsUnreservedMemory()
    {
        var tree = Standard(100 * MB);
        var user = tree.Find("user")!;
        Assert.Equal(GroupError.None, tree.Add(user, "a", 60 * MB, ResourceGroup.Unlimited, out var a));
        Assert.Equal(GroupError.ReservationDoesNotFit, tree.Add(user, "b", 50 * MB, ResourceGroup.Unlimited, out _));
        Assert.Equal(GroupError.None, tree.Add(user, "b", 40 * MB, ResourceGroup.Unlimited, out _));
        Assert.Equal(0, tree.AvailableReservation(user));
        Assert.Equal(GroupError.ReservationExceedsLimit, tree.Add(user, "c", 10 * MB, 5 * MB, out _));
        // A refused change leaves the group as it was.
        Assert.Equal(GroupError.ReservationDoesNotFit, tree.SetMemory(a, 70 * MB, ResourceGroup.Unlimited, ResourceGroup.Unlimited));
        Assert.Equal(60 * MB, a.MemMin);
    }

    [Fact]
    public void ReservationsAreAdmittedAtEveryLevel_ExpandableFromTheParent()
    {
        var tree = Standard(100 * MB);
        Assert.Equal(GroupError.None, tree.SetMemory(tree.Find("system")!, 10 * MB, ResourceGroup.Unlimited, ResourceGroup.Unlimited));
        tree.AddPath("host/visorfs", out var visorfs);
        // host/visorfs reserves nothing: its ramdisk's reservation is borrowed from host, beside host/system's.
        Assert.Equal(GroupError.ReservationDoesNotFit, tree.Add(visorfs, "big", 91 * MB, ResourceGroup.Unlimited, out _));
        Assert.Equal(GroupError.None, tree.Add(visorfs, "big", 90 * MB, ResourceGroup.Unlimited, out _));
        Assert.Equal(90 * MB, ResourceGroupTree.EffectiveReservation(visorfs));
        Assert.Equal(GroupError.ReservationDoesNotFit, tree.Add(tree.Find("user")!, "u", 1, ResourceGroup.Unlimited, out _));
    }

    [Fact]
    public void AReservationMustFitBesideMemoryOthersHold()
    {
        var tree = Standard(100 * MB);
        tree.AddPath("host/visorfs/tmp", out var tmp);
        Assert.Null(tree.TryCharge(tmp, 50 * MB));
        Assert.Equal(GroupError.ReservationDoesNotFit, tree.Add(tree.Find("visorfs")!, "big", 51 * MB, ResourceGroup.Unlimited, out _));
        Assert.Equal(GroupError.None, tree.Add(tree.Find("visorfs")!, "big", 50 * MB, ResourceGroup.Unlimited, out _));
    }

    [Fact]
    public void MaxAttainableIsTheCapacityLessOtherGroupsReservations()
    {
        var tree = Standard(100 * MB);
        tree.SetMemory(tree.Find("system")!, 10 * MB, ResourceGroup.Unlimited, ResourceGroup.Unlimited);
        tree.AddPath("host/vim/vmvisor/shell", out var shell);
        tree.SetMemory(shell, 1 * MB, ResourceGroup.Unlimited, ResourceGroup.Unlimited);
        tree.AddPath("host/visorfs", out var visorfs);
        Assert.Equal(89 * MB, tree.MaxAttainable(visorfs));
        Assert.Equal(100 * MB, tree.MaxAttainable(tree.Root));
        tree.AddPath("host/user/p", out var p);
        tree.SetMemory(p, 0, 20 * MB, ResourceGroup.Unlimited);
        Assert.Equal(20 * MB, tree.MaxAttainable(p));
    }

    [Theory]
    [InlineData(45, 6, 4)]          // the minimum machine: the floors
    [InlineData(63, 7.875, 4)]      // an eighth; the shell's floor
    [InlineData(256, 32, 16)]       // an eighth and a sixteenth
    [InlineData(1024, 64, 32)]      // the ceilings
    public void KernelReservations_SystemGetsAnEighth_TheShellASixteenth_UserTheRest(long totalMb, double systemMb, long shellMb)
    {
        var tree = Standard(totalMb * MB);
        Assert.Equal(GroupError.None, KernelReservations.Apply(tree));
        var system = tree.Find("system")!;
        var user = tree.Find("user")!;
        Assert.Equal((long)(systemMb * MB), system.MemMin);
        Assert.Equal(shellMb * MB, tree.Find(KernelReservations.ShellPath)!.MemMin);
        Assert.Equal(totalMb * MB - system.MemMin - shellMb * MB, user.MemMax);
        // A user group with no limit of its own fills host/user; the kernel still gets all of its reservation.
        tree.AddPath("host/user/hog", out var hog);
        while (tree.TryCharge(hog, MB) == null)
        {
        }
        Assert.True(user.MemSize <= user.MemMax);
        Assert.Null(tree.TryCharge(system, system.MemMin));
        Assert.Null(tree.TryCharge(tree.Find(KernelReservations.ShellPath)!, shellMb * MB));
    }

    [Fact]
    public void MinLimitCapsChildReservations()
    {
        var tree = Standard();
        tree.AddPath("host/user/p", out var p);
        Assert.Equal(GroupError.None, tree.SetMemory(p, 0, ResourceGroup.Unlimited, 10 * MB));
        Assert.Equal(GroupError.ReservationAboveMinLimit, tree.Add(p, "c", 11 * MB, ResourceGroup.Unlimited, out _));
        Assert.Equal(GroupError.None, tree.Add(p, "c", 10 * MB, ResourceGroup.Unlimited, out _));
    }

    [Fact]
    public void ChargingStopsAtTheLimitAndReportsTheRefusingGroup()
    {
        var tree = Standard();
        tree.AddPath("host/user/hog", out var hog);
        tree.SetMemory(hog, 0, 16 * MB, ResourceGroup.Unlimited);
        for (int i = 0; i < 16; i++)
            Assert.Null(tree.TryCharge(hog, MB));
        Assert.Same(hog, tree.TryCharge(hog, MB));
        Assert.Equal(16 * MB, hog.MemSize);
        Assert.Equal(16 * MB, tree.Find("user")!.MemSize);
        Assert.Equal(16 * MB, tree.Root.MemSize);
        Assert.Equal(1UL, hog.AdmissionFailures);
        tree.Uncharge(hog, 16 * MB);
        Assert.Equal(0, hog.MemSize);
        Assert.Equal(0, tree.Root.MemSize);
        Assert.Equal(16 * MB, hog.MemSizePeak);
    }

    [Fact]
    public void AParentLimitBindsItsChildren()
    {
        var tree = Standard();
        tree.AddPath("host/user/p/c", out var c);
        tree.SetMemory(tree.Find("user/p")!, 0, 8 * MB, ResourceGroup.Unlimited);
        Assert.Null(tree.TryCharge(c, 8 * MB));
        Assert.Same(tree.Find("user/p"), tree.TryCharge(c, 1));
    }

    [Fact]
    public void UnusedReservationsOfOtherGroupsAreProtected()
    {
        var tree = Standard(100 * MB);
        var user = tree.Find("user")!;
        tree.Add(user, "reserved", 30 * MB, ResourceGroup.Unlimited, out var reserved);
        tree.Add(user, "greedy", 0, ResourceGroup.Unlimited, out var greedy);
        Assert.Null(tree.TryCharge(greedy, 70 * MB));
        Assert.NotNull(tree.TryCharge(greedy, 1));          // the next byte belongs to `reserved`
        Assert.Null(tree.TryCharge(reserved, 30 * MB));     // which can still use all of its reservation
    }

    [Fact]
    public void RemoveRefusesGroupsInUse()
    {
        var tree = Standard();
        tree.AddPath("host/user/a/b", out var b);
        var a = tree.Find("user/a")!;
        Assert.Equal(GroupError.HasChildren, tree.Remove(a));
        tree.TryCharge(b, MB);
        Assert.Equal(GroupError.HasWorlds, tree.Remove(b));
        tree.Uncharge(b, MB);
        Assert.Equal(GroupError.None, tree.Remove(b));
        Assert.Equal(GroupError.None, tree.Remove(a));
        Assert.Equal(GroupError.IsRoot, tree.Remove(tree.Root));
        Assert.Null(tree.Find("user/a"));
    }

    [Fact]
    public void ChargesNeverExceedAnyLimitAndAlwaysBalance()
    {
        // Random charge/uncharge sequences over a small tree: every group's usage equals the sum charged to its
        // subtree, and no group with a limit is ever above it.
        Gen.Select(Gen.Int[0, 3], Gen.Long[1, 8 * MB], Gen.Bool).Array[1, 200].Sample(ops =>
        {
            var tree = Standard(64 * MB);
            tree.AddPath("host/user/a", out var a);
            tree.AddPath("host/user/b", out var b);
            tree.AddPath("host/vim/c", out var c);
            tree.SetMemory(a, 4 * MB, 20 * MB, ResourceGroup.Unlimited);
            tree.SetMemory(tree.Find("vim")!, 0, 16 * MB, ResourceGroup.Unlimited);
            var leaves = new[] { a, b, c, tree.Find("system")! };
            var held = new long[4];
            foreach (var (leaf, bytes, charge) in ops)
            {
                if (charge)
                {
                    if (tree.TryCharge(leaves[leaf], bytes) == null)
                        held[leaf] += bytes;
                }
                else if (held[leaf] >= bytes)
                {
                    tree.Uncharge(leaves[leaf], bytes);
                    held[leaf] -= bytes;
                }
            }
            for (int i = 0; i < 4; i++)
                Assert.Equal(held[i], leaves[i].MemSize);
            Assert.Equal(held[0] + held[1], tree.Find("user")!.MemSize);
            Assert.Equal(held[0] + held[1] + held[2] + held[3], tree.Root.MemSize);
            Assert.True(a.MemSize <= 20 * MB);
            Assert.True(tree.Find("vim")!.MemSize <= 16 * MB);
            Assert.True(tree.Root.MemSize <= 64 * MB);
            // a's reservation is protected: the others never eat into it.
            Assert.True(tree.Root.MemSize + Math.Max(0, 4 * MB - a.MemSize) <= 64 * MB);
        });
    }

    [Fact]
    public void OomVictimIsTheLargestThenTheNewest()
    {
        Assert.Equal(-1, OomPolicy.ChooseVictim(new int[0], new long[0], 0));
        Assert.Equal(1, OomPolicy.ChooseVictim(new[] { 5, 6, 7 }, new[] { 10L, 30, 20 }, 3));
        Assert.Equal(2, OomPolicy.ChooseVictim(new[] { 5, 6, 7 }, new[] { 30L, 10, 30 }, 3));
    }

    [Fact]
    public void OnlyUserGroupsKillOnExhaustion()
    {
        var tree = Standard();
        tree.AddPath("host/user/x/y", out var y);
        tree.AddPath("host/vim/vmvisor", out var vmvisor);
        Assert.True(OomPolicy.KillsOnExhaustion(y));
        Assert.True(OomPolicy.KillsOnExhaustion(tree.Find("user")!));
        Assert.False(OomPolicy.KillsOnExhaustion(vmvisor));
        Assert.False(OomPolicy.KillsOnExhaustion(tree.Find("system")!));
        Assert.False(OomPolicy.KillsOnExhaustion(tree.Root));
    }

    [Fact]
    public void MemorySharesPickTheGroupThatGivesMemoryBack()
    {
        var tree = Standard();
        Assert.Equal(GroupError.None, tree.AddPath("host/user/pool", out var pool));
        Assert.Equal(GroupError.None, tree.SetMemory(pool, 0, 64 * MB, ResourceGroup.Unlimited));
        tree.AddPath("host/user/pool/rich", out var rich);
        tree.AddPath("host/user/pool/poor", out var poor);
        ResourceGroupTree.SetShares(rich, 4000, 0);
        ResourceGroupTree.SetShares(poor, 1000, 0);
        // rich holds twice as much as poor, but has four times the shares: poor has more memory per share.
        Assert.Null(tree.TryCharge(rich, 30 * MB));
        Assert.Null(tree.TryCharge(poor, 15 * MB));
        Assert.Same(poor, OomPolicy.ChooseVictimGroup(pool));
        // With equal shares the larger holder gives memory back.
        ResourceGroupTree.SetShares(rich, 1000, 0);
        Assert.Same(rich, OomPolicy.ChooseVictimGroup(pool));
        // Memory within a reservation is not contended: rich reserves what it holds, so poor pays.
        Assert.Equal(GroupError.None, tree.SetMemory(rich, 30 * MB, ResourceGroup.Unlimited, ResourceGroup.Unlimited));
        Assert.Same(poor, OomPolicy.ChooseVictimGroup(pool));
        // From the host's root the contention is settled inside host/user; kernel groups are never chosen.
        Assert.Null(tree.TryCharge(tree.Find("host/system")!, 100 * MB));
        Assert.Same(poor, OomPolicy.ChooseVictimGroup(tree.Root));
        Assert.Null(OomPolicy.ChooseVictimGroup(tree.Find("host/system")!));
    }

    [Fact]
    public void MemorySharesHoldAtEveryLevel()
    {
        // Property: the chosen group never has less memory above its reservation per share than a killable sibling
        // on the path from the refusing group.
        Gen.Select(Gen.Int[1, 20_000].Array[6], Gen.Long[0, 40].Array[6], Gen.Long[0, 10].Array[6]).Sample((shares, used, reserved) =>
        {
            var tree = Standard();
            var groups = new List<ResourceGroup>();
            for (int i = 0; i < 6; i++)
            {
                string path = i < 3 ? $"host/user/a{i}" : $"host/user/a{i % 3}/b{i}";
                tree.AddPath(path, out var g);
                tree.SetMemory(g, reserved[i] * MB, ResourceGroup.Unlimited, ResourceGroup.Unlimited);
                ResourceGroupTree.SetShares(g, shares[i], 0);
                tree.TryCharge(g, used[i] * MB);
                groups.Add(g);
            }
            ResourceGroup victim = OomPolicy.ChooseVictimGroup(tree.Root)!;
            Assert.NotNull(victim);
            for (ResourceGroup g = victim; g.Parent != null && g != tree.Root; g = g.Parent)
            {
                long above = g.MemSize - g.MemMin;
                for (int i = 0; i < g.Parent.ChildCount; i++)
                {
                    ResourceGroup sibling = g.Parent.Child(i);
                    long siblingAbove = sibling.MemSize - sibling.MemMin;
                    if (sibling == g || siblingAbove <= 0 || !OomPolicy.KillsOnExhaustion(sibling))
                        continue;
                    Assert.True(above * sibling.MemShares >= siblingAbove * g.MemShares,
                        $"{g.Path} ({above} above, {g.MemShares} shares) chosen over {sibling.Path} ({siblingAbove}, {sibling.MemShares})");
                }
            }
        }, iter: 500);
    }
}
