// SelfTestRunner.cs -- runs every self-test (kernel option `selftest`) and prints `Self-tests: N registered`, then
// `[PASS]`/`[FAIL]` lines and one `N passed, N failed` summary on serial. The registered count lets a test check
// that every test ran and passed, not just that some did.
using System.Collections.Generic;
using Kernel.Console;
using Kernel.SelfTest.Tests;

namespace Kernel.SelfTest
{
    public static class SelfTestRunner
    {
        private static List<SelfTest> AllTests()
        {
            var tests = new List<SelfTest>();
            CoreLibraryTests.AddTo(tests);
            MemoryTests.AddTo(tests);
            SizeClassHeapTests.AddTo(tests);
            GarbageCollectorTests.AddTo(tests);
            ReservedMemoryTests.AddTo(tests);
            UserWorldTests.AddTo(tests);
            TimerTests.AddTo(tests);
            KernelOptionsTests.AddTo(tests);
            WorldTests.AddTo(tests);
            SyncTests.AddTo(tests);
            AcpiTests.AddTo(tests);
            VisorFsTests.AddTo(tests);
            // After the tests that count free pages: these spawn worlds and grow the kernel heap.
            CoreLibraryLanguageTests.AddTo(tests);
            GenericVirtualMethodTests.AddTo(tests);
            // Last: without a collector these tests leave garbage on the kernel heap, and some earlier tests count
            // free pages around code that may need a new heap slab.
            ExceptionTests.AddTo(tests);
            return tests;
        }

        /// <summary>Returns true when every test passed.</summary>
        public static bool RunAll()
        {
            List<SelfTest> tests = AllTests();
            KernelOutput.WriteLine(string.Concat("Self-tests: ", tests.Count.ToString(), " registered"));
            int passed = 0, failed = 0;
            for (int i = 0; i < tests.Count; i++)
            {
                var context = new SelfTestContext();
                tests[i].Run(context);
                if (context.Failures == 0)
                {
                    passed++;
                    KernelOutput.WriteLine(string.Concat("[PASS] ", tests[i].Name));
                }
                else
                {
                    failed++;
                    KernelOutput.WriteLine(string.Concat("[FAIL] ", tests[i].Name, ": ", context.FirstFailure));
                }
            }
            KernelOutput.WriteLine(string.Concat(passed.ToString(), " passed, ", failed.ToString(), " failed"));
            return failed == 0;
        }
    }
}
