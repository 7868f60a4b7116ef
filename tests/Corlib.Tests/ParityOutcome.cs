// ParityOutcome.cs -- what a call did, as text the parity tests compare between the kernel's code and the BCL's:
// "ok " and the result, or the exception's type name (messages differ by design; types must not).
namespace Corlib.Tests;

internal static class ParityOutcome
{
    public static string Of(Func<object> call)
    {
        try
        {
            return "ok " + call();
        }
        catch (Exception e)
        {
            return e.GetType().Name;
        }
    }
}
