// InitialStack.cs -- the stack a new program starts on (System V x86-64 psABI, 3.4.1), from the top down: the
// strings (argv, envp, the executable's name) and AT_RANDOM's 16 bytes, then, 16-byte aligned at rsp:
//   argc | argv[0..argc-1] | 0 | envp[..] | 0 | auxv (type, value) pairs ending with AT_NULL
using System;
using System.Collections.Generic;
using Kernel.Arch;

namespace Kernel.User
{
    public static class InitialStack
    {
        public const ulong AtNull = 0, AtPhdr = 3, AtPhent = 4, AtPhnum = 5, AtPagesz = 6, AtBase = 7, AtFlags = 8,
            AtEntry = 9, AtUid = 11, AtEuid = 12, AtGid = 13, AtEgid = 14, AtHwcap = 16, AtClktck = 17, AtSecure = 23,
            AtRandom = 25, AtExecfn = 31;

        /// <summary>Maps the stack and writes it; returns the initial rsp, or 0 when memory or room runs out.</summary>
        public static ulong Build(UserAddressSpace space, string[] argv, string[] envp, string path, in ElfImage image)
        {
            ulong top = UserAddressSpace.StackTop;
            ulong bottom = top - UserAddressSpace.StackPages * UserAddressSpace.PageSize;
            if (!space.MapZeroed(bottom, top, writable: true, executable: false))
                return 0;

            ulong at = top;
            var argvAt = new ulong[argv.Length];
            for (int i = argv.Length - 1; i >= 0; i--)
                argvAt[i] = at = PushString(space, at, argv[i]);
            var envAt = new ulong[envp.Length];
            for (int i = envp.Length - 1; i >= 0; i--)
                envAt[i] = at = PushString(space, at, envp[i]);
            ulong execfn = at = PushString(space, at, path);
            at -= 16;
            ulong random = at;
            Span<byte> seed = stackalloc byte[16];
            ulong tsc = Cpu.ReadTimestampCounter();
            for (int i = 0; i < 16; i++)
            {
                tsc = tsc * 6364136223846793005UL + 1442695040888963407UL;   // not a CSPRNG: a per-run canary seed
                seed[i] = (byte)(tsc >> 56);
            }
            space.Write(random, seed);

            var words = new List<ulong>();
            words.Add((ulong)argv.Length);
            for (int i = 0; i < argv.Length; i++)
                words.Add(argvAt[i]);
            words.Add(0);
            for (int i = 0; i < envp.Length; i++)
                words.Add(envAt[i]);
            words.Add(0);
            Aux(words, AtPhdr, image.ProgramHeaders);
            Aux(words, AtPhent, image.HeaderSize);
            Aux(words, AtPhnum, image.HeaderCount);
            Aux(words, AtPagesz, UserAddressSpace.PageSize);
            Aux(words, AtBase, 0);
            Aux(words, AtFlags, 0);
            Aux(words, AtEntry, image.Entry);
            Aux(words, AtUid, 0);
            Aux(words, AtEuid, 0);
            Aux(words, AtGid, 0);
            Aux(words, AtEgid, 0);
            Aux(words, AtHwcap, 0);
            Aux(words, AtClktck, 100);
            Aux(words, AtSecure, 0);
            Aux(words, AtRandom, random);
            Aux(words, AtExecfn, execfn);
            Aux(words, AtNull, 0);

            ulong rsp = (at - (ulong)words.Count * 8) & ~15UL;
            if (rsp < bottom)
                return 0;
            var bytes = new byte[words.Count * 8];
            for (int i = 0; i < words.Count; i++)
                for (int b = 0; b < 8; b++)
                    bytes[i * 8 + b] = (byte)(words[i] >> (8 * b));
            return space.Write(rsp, bytes) ? rsp : 0;
        }

        private static void Aux(List<ulong> words, ulong type, ulong value)
        {
            words.Add(type);
            words.Add(value);
        }

        // Writes a NUL-terminated string (Latin-1: the shell's words are) below `at`; returns its address.
        private static ulong PushString(UserAddressSpace space, ulong at, string text)
        {
            var bytes = new byte[text.Length + 1];
            for (int i = 0; i < text.Length; i++)
                bytes[i] = (byte)text[i];
            at -= (ulong)bytes.Length;
            space.Write(at, bytes);
            return at;
        }
    }
}
