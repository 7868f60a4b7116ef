// VectorAllocatorTests.cs -- the device vector allocator: only 0x40-0xDF are handed out (ISA IRQs, the APIC timer,
// IPIs and the spurious/error vectors stay untouched), lowest free first, each with its destination; freeing returns
// a vector once, and exhaustion is -1, not a reused vector.
using Drivers.Apic;

namespace Kernel.Tests;

public class VectorAllocatorTests
{
    [Fact]
    public void HandsOutEveryDeviceVectorOnceThenRefuses()
    {
        var a = new VectorAllocator();
        var seen = new HashSet<int>();
        for (int i = 0; i < VectorAllocator.LastDeviceVector - VectorAllocator.FirstDeviceVector + 1; i++)
        {
            int v = a.Allocate((uint)(i % 4));
            Assert.InRange(v, 0x40, 0xDF);
            Assert.True(seen.Add(v));
            Assert.Equal((uint)(i % 4), a.DestinationOf(v));
        }
        Assert.Equal(160, a.InUse);
        Assert.Equal(-1, a.Allocate(0));
    }

    [Fact]
    public void FreedVectorIsReusedAndDoubleFreeIsRefused()
    {
        var a = new VectorAllocator();
        int first = a.Allocate(0), second = a.Allocate(0);
        Assert.Equal(0x40, first);
        Assert.Equal(0x41, second);
        Assert.True(a.Free(first));
        Assert.False(a.Free(first));
        Assert.False(a.IsAllocated(first));
        Assert.False(a.Free(0x20));     // an ISA vector was never ours
        Assert.False(a.Free(0xEF));     // nor the APIC timer's
        Assert.Equal(first, a.Allocate(1));
        Assert.Equal(1u, a.DestinationOf(first));
        Assert.Equal(2, a.InUse);
    }
}
