// SelfTest.cs -- one in-kernel self-test: a name and a body that reports failures through the context.
namespace Kernel.SelfTest
{
    public abstract class SelfTest
    {
        public abstract string Name { get; }
        public abstract void Run(SelfTestContext t);
    }
}
