// SelfTestContext.cs -- assertions for self-tests: a failed check records a message and the test goes on, so one
// run reports every broken check.
namespace Kernel.SelfTest
{
    public sealed class SelfTestContext
    {
        public int Failures { get; private set; }
        public string FirstFailure { get; private set; }

        public void Check(bool condition, string what)
        {
            if (condition)
                return;
            Failures++;
            FirstFailure ??= what;
            Logging.Log.Warning("SelfTest", string.Concat("check failed: ", what));
        }

        public void Equal(long expected, long actual, string what)
            => Check(expected == actual, string.Concat(what, ": expected ", expected.ToString(), ", got ", actual.ToString()));

        public void Equal(string expected, string actual, string what)
            => Check(expected == actual, string.Concat(what, ": expected '", expected, "', got '", actual ?? "(null)", "'"));
    }
}
