// MethodTableStub.cs -- the one runtime type EHClause.cs names (as a pointer); the tests never look inside it.
namespace Internal.Runtime;

public struct MethodTable
{
}
