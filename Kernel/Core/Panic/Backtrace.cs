// Backtrace.cs -- walks the frame-pointer chain (RyuJIT keeps rbp frames for non-leaf methods) and prints
// ESXi-style lines: `0xFRAME:[0xIP]Function@vmkernel#nover+0xOFF`.
using Kernel.Memory;

namespace Kernel.Panic
{
    internal static unsafe class Backtrace
    {
        private const int MaxFrames = 32;

        public static void Print(ulong rip, ulong rbp)
        {
            PrintFrame(rbp, rip, isReturnAddress: false);
            for (int i = 0; i < MaxFrames && IsReadableFrame(rbp); i++)
            {
                ulong next = *(ulong*)rbp;
                ulong returnAddress = *(ulong*)(rbp + 8);
                if (returnAddress == 0)
                    break;
                PrintFrame(next, returnAddress, isReturnAddress: true);
                // Frames grow toward higher addresses as we walk out; anything else is a broken chain.
                if (next <= rbp)
                    break;
                rbp = next;
            }
        }

        private static bool IsReadableFrame(ulong rbp)
        {
            if (rbp == 0 || (rbp & 7) != 0)
                return false;
            if (Paging.Root == 0)
                return rbp < (4UL << 30);
            return Paging.Query(rbp) != 0 && Paging.Query(rbp + 15) != 0;
        }

        /// <summary>
        /// One line. A return address is named by the instruction before it (the call): a call that ends a method,
        /// as throws and other calls that never return often do, returns to the first byte of the next method.
        /// </summary>
        internal static void PrintFrame(ulong frame, ulong ip, bool isReturnAddress)
        {
            PanicWriter.AppendHex(frame, 16);
            PanicWriter.Append(":[");
            PanicWriter.AppendHex(ip, 16);
            PanicWriter.Append(']');
            SymbolTable.Symbol symbol = SymbolTable.Lookup(isReturnAddress ? ip - 1 : ip);
            if (symbol.Found)
            {
                PanicWriter.Append(symbol.Name, symbol.NameLength);
                PanicWriter.Append("@vmkernel#nover+");
                PanicWriter.AppendHex(ip - symbol.Address);
            }
            else
            {
                PanicWriter.Append("<unknown>");
            }
            PanicWriter.EndLine();
        }
    }
}
