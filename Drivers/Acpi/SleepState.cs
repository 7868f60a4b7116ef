// SleepState.cs -- finds a sleep state's SLP_TYP values (`\_S5_`: soft off) in AML without an interpreter.
//
// The firmware declares `Name (_S5, Package () { SLP_TYPa, SLP_TYPb, ... })`, which compiles to:
//   NameOp 0x08, ['\' 0x5C], "_S5_", PackageOp 0x12, PkgLength (1-4 bytes: the lead byte's top two bits count the
//   extra bytes), NumElements u8, then each element as a data object:
//   ZeroOp 0x00, OneOp 0x01, OnesOp 0xFF, BytePrefix 0x0A b, WordPrefix 0x0B w, DWordPrefix 0x0C d.
// The byte scan is the classic one every small kernel uses; it is only wrong for firmware that computes _S5 in a
// method, which then simply reads as "not found". SLP_TYP is three bits; wider constants are masked.
using System;

namespace Drivers.Acpi
{
    public static class SleepState
    {
        private const byte NameOp = 0x08, PackageOp = 0x12, RootChar = 0x5C;
        private const byte ZeroOp = 0x00, OneOp = 0x01, OnesOp = 0xFF;
        private const byte BytePrefix = 0x0A, WordPrefix = 0x0B, DWordPrefix = 0x0C;

        /// <summary>Finds `\_Sn_` (n = '0'..'5') in an AML byte stream and reads SLP_TYPa and SLP_TYPb.</summary>
        public static bool TryFind(ReadOnlySpan<byte> aml, char state, out byte typeA, out byte typeB)
        {
            typeA = typeB = 0;
            for (int i = 1; i + 5 < aml.Length; i++)
            {
                if (aml[i] != '_' || aml[i + 1] != 'S' || aml[i + 2] != state || aml[i + 3] != '_' || aml[i + 4] != PackageOp)
                    continue;
                // Only a named object, not a method that happens to mention _S5_.
                if (aml[i - 1] != NameOp && !(aml[i - 1] == RootChar && i >= 2 && aml[i - 2] == NameOp))
                    continue;
                int p = i + 5;
                int pkgLengthBytes = (aml[p] >> 6) + 1;
                p += pkgLengthBytes + 1;                 // PkgLength, NumElements
                if (p >= aml.Length || aml[p - 1] < 2)
                    continue;
                if (!TryReadInteger(aml, ref p, out ulong a) || !TryReadInteger(aml, ref p, out ulong b))
                    continue;
                typeA = (byte)(a & 7);
                typeB = (byte)(b & 7);
                return true;
            }
            return false;
        }

        private static bool TryReadInteger(ReadOnlySpan<byte> aml, ref int p, out ulong value)
        {
            value = 0;
            if (p >= aml.Length)
                return false;
            byte op = aml[p++];
            int size;
            switch (op)
            {
                case ZeroOp:
                    return true;
                case OneOp:
                    value = 1;
                    return true;
                case OnesOp:
                    value = ulong.MaxValue;
                    return true;
                case BytePrefix:
                    size = 1;
                    break;
                case WordPrefix:
                    size = 2;
                    break;
                case DWordPrefix:
                    size = 4;
                    break;
                default:
                    return false;
            }
            if (p + size > aml.Length)
                return false;
            for (int k = 0; k < size; k++)
                value |= (ulong)aml[p + k] << (8 * k);
            p += size;
            return true;
        }
    }
}
