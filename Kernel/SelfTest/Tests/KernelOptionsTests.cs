// KernelOptionsTests.cs -- kernel command line parsing (Kernel/Init/KernelOptions.cs) checked in the guest (it logs
// warnings for bad words, so it is not a host test): flags, values, defaults, bad values, unknown words.
using System.Collections.Generic;
using Kernel.Init;

namespace Kernel.SelfTest.Tests
{
    internal static class KernelOptionsTests
    {
        public static void AddTo(List<SelfTest> tests) => tests.Add(new ParseTest());

        private sealed class ParseTest : SelfTest
        {
            public override string Name => "init: kernel options";

            public override void Run(SelfTestContext t)
            {
                KernelOptions o = KernelOptions.Parse("  selftest loglevel=debug  hostname=esx01 timerhz=7 bogus panic=exit panic=halt ");
                t.Check(o.Has("selftest"), "flag present");
                t.Equal("", o.Get("selftest"), "flag value");
                t.Equal("debug", o.Get("loglevel"), "allowed value");
                t.Equal("esx01", o.Get("hostname"), "free-form value");
                t.Check(!o.Has("timerhz"), "bad value is not set");
                t.Equal("1000", o.Get("timerhz"), "bad value falls back to the default");
                t.Check(!o.Has("bogus"), "unknown option ignored");
                t.Equal(null, o.Get("bogus"), "unknown option has no default");
                t.Equal("halt", o.Get("panic"), "the last occurrence wins");

                KernelOptions d = KernelOptions.Parse(null);
                t.Equal("", d.CommandLine, "null command line");
                t.Equal("info", d.Get("loglevel"), "default when absent");
                t.Check(!d.Has("selftest"), "absent flag");
                t.Check(!KernelOptions.Parse("selftest=yes hostname=").Has("selftest"), "flag with a value is refused");
                t.Check(!KernelOptions.Parse("hostname=").Has("hostname"), "empty value is refused");

                t.Equal("selftest loglevel=debug", KernelOptions.StripImagePath("/boot/kernel.elf selftest loglevel=debug"), "image path stripped");
                t.Equal("", KernelOptions.StripImagePath("/boot/kernel.elf"), "image path alone");
                t.Equal("hostname=a/b", KernelOptions.StripImagePath("hostname=a/b"), "a first word with '=' is an option");
                t.Equal("selftest", KernelOptions.StripImagePath(" selftest "), "no image path");
            }
        }
    }
}
