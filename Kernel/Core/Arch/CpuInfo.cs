// CpuInfo.cs -- processor identification from CPUID: vendor, brand string, family/model/stepping, features.
using System.Text;

namespace Kernel.Arch
{
    public sealed unsafe class CpuInfo
    {
        public string Vendor = "";
        public string Brand = "";
        public uint Family, Model, Stepping;
        public string Features = "";

        /// <summary>
        /// The TSC frequency the CPU states: CPUID leaf 0x15 (TSC/crystal ratio times the crystal frequency), else leaf
        /// 0x16 (base frequency in MHz, which the TSC runs at on the CPUs that have the leaf); 0 when it states none.
        /// </summary>
        public static ulong TscHzFromCpuid()
        {
            uint* r = stackalloc uint[4];
            Cpu.CpuId(0, 0, r);
            uint maxLeaf = r[0];
            if (maxLeaf >= 0x15)
            {
                Cpu.CpuId(0x15, 0, r);
                if (r[0] != 0 && r[1] != 0 && r[2] != 0)
                    return (ulong)r[2] * r[1] / r[0];
            }
            if (maxLeaf >= 0x16)
            {
                Cpu.CpuId(0x16, 0, r);
                if ((r[0] & 0xFFFF) != 0)
                    return (ulong)(r[0] & 0xFFFF) * 1_000_000;
            }
            return 0;
        }

        public static CpuInfo Read()
        {
            var info = new CpuInfo();
            uint* r = stackalloc uint[4];
            Cpu.CpuId(0, 0, r);
            uint maxLeaf = r[0];
            info.Vendor = Ascii(r + 1, 1) + Ascii(r + 3, 1) + Ascii(r + 2, 1);
            Cpu.CpuId(1, 0, r);
            uint signature = r[0];
            uint baseFamily = (signature >> 8) & 0xF;
            info.Family = baseFamily == 0xF ? baseFamily + ((signature >> 20) & 0xFF) : baseFamily;
            info.Model = (signature >> 4) & 0xF;
            if (baseFamily == 6 || baseFamily == 0xF)
                info.Model |= ((signature >> 16) & 0xF) << 4;
            info.Stepping = signature & 0xF;
            uint ecx = r[2], edx = r[3];
            var features = new StringBuilder();
            Flag(features, edx, 0, "fpu");
            Flag(features, edx, 4, "tsc");
            Flag(features, edx, 5, "msr");
            Flag(features, edx, 6, "pae");
            Flag(features, edx, 9, "apic");
            Flag(features, edx, 15, "cmov");
            Flag(features, edx, 25, "sse");
            Flag(features, edx, 26, "sse2");
            Flag(features, ecx, 0, "sse3");
            Flag(features, ecx, 9, "ssse3");
            Flag(features, ecx, 19, "sse4_1");
            Flag(features, ecx, 20, "sse4_2");
            Flag(features, ecx, 21, "x2apic");
            Flag(features, ecx, 23, "popcnt");
            Flag(features, ecx, 26, "xsave");
            Flag(features, ecx, 28, "avx");
            Flag(features, ecx, 31, "hypervisor");
            Cpu.CpuId(0x80000000, 0, r);
            uint maxExtended = r[0];
            if (maxExtended >= 0x80000001)
            {
                Cpu.CpuId(0x80000001, 0, r);
                Flag(features, r[3], 20, "nx");
                Flag(features, r[3], 27, "rdtscp");
                Flag(features, r[3], 29, "lm");
            }
            if (maxExtended >= 0x80000004)
            {
                var brand = new StringBuilder();
                for (uint leaf = 0x80000002; leaf <= 0x80000004; leaf++)
                {
                    Cpu.CpuId(leaf, 0, r);
                    brand.Append(Ascii(r, 4));
                }
                info.Brand = brand.ToString().Trim();
            }
            info.Features = features.ToString();
            _ = maxLeaf;
            return info;
        }

        private static void Flag(StringBuilder sb, uint register, int bit, string name)
        {
            if ((register & (1u << bit)) == 0)
                return;
            if (sb.Length > 0)
                sb.Append(' ');
            sb.Append(name);
        }

        private static string Ascii(uint* registers, int count)
        {
            char* chars = stackalloc char[16];
            int n = 0;
            for (int i = 0; i < count * 4; i++)
            {
                byte b = ((byte*)registers)[i];
                if (b != 0)
                    chars[n++] = (char)b;
            }
            return new string(chars, 0, n);
        }
    }
}
