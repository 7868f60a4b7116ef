// FpuImage.cs -- the 512-byte fxsave64 image the entry code keeps of a program's FPU/SSE state (x87 control and
// status, MXCSR, the x87 and XMM registers), as a signal frame's _fpstate carries it: reset to the state a handler
// starts in (Linux's init state: FCW 0x37F, MXCSR 0x1F80, every register zero), and loaded from what rt_sigreturn
// found in the frame, with MXCSR's reserved bits cleared first (fxrstor of a set reserved bit faults in the kernel).
namespace Kernel.User
{
    public static unsafe class FpuImage
    {
        private const int FcwOffset = 0, MxcsrOffset = 24, MxcsrMaskOffset = 28;
        private const uint DefaultMxcsrMask = 0xFFBF;   // what fxsave reports as 0: every bit but DAZ

        public static void Reset(byte* area)
        {
            uint mask = *(uint*)(area + MxcsrMaskOffset);
            for (int i = 0; i < SignalDelivery.FpuBytes; i++)
                area[i] = 0;
            *(ushort*)(area + FcwOffset) = 0x37F;
            *(uint*)(area + MxcsrOffset) = 0x1F80;
            *(uint*)(area + MxcsrMaskOffset) = mask;
        }

        public static void Load(byte* area, byte* image)
        {
            uint mask = *(uint*)(area + MxcsrMaskOffset);
            if (mask == 0)
                mask = DefaultMxcsrMask;
            for (int i = 0; i < SignalDelivery.FpuBytes; i++)
                area[i] = image[i];
            *(uint*)(area + MxcsrOffset) &= mask;
            *(uint*)(area + MxcsrMaskOffset) = mask;
        }
    }
}
