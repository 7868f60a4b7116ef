// TypeNameTests.cs -- Type.Name from ILC's mangled MethodTable symbols: the names the BCL gives the same types.
extern alias ours;
using TypeNames = ours::Internal.Runtime.TypeNames;

namespace Corlib.Tests;

public class TypeNameTests
{
    [Theory]
    [InlineData("S_P_CoreLib_System_Collections_Generic_List_1<Int32>", typeof(List<int>))]
    [InlineData("S_P_CoreLib_System_Collections_Generic_Dictionary_2<String__Int32>", typeof(Dictionary<string, int>))]
    [InlineData("S_P_CoreLib_System_Collections_Generic_List_1", typeof(List<>))]
    [InlineData("S_P_CoreLib_System_Func_2<Int32__Int32>", typeof(Func<int, int>))]
    [InlineData("S_P_CoreLib_System_NullReferenceException", typeof(NullReferenceException))]
    [InlineData("Boxed_Int32", typeof(int))]
    [InlineData("Boxed_UInt8", typeof(byte))]
    [InlineData("Boxed_Int8", typeof(sbyte))]
    [InlineData("Boxed_Char", typeof(char))]
    [InlineData("String", typeof(string))]
    [InlineData("Object", typeof(object))]
    [InlineData("__Array<UInt8>", typeof(byte[]))]
    [InlineData("__Array<String>", typeof(string[]))]
    [InlineData("__Array<__Array<UInt8>>", typeof(byte[][]))]
    [InlineData("__Array<S_P_CoreLib_System_Collections_Generic_List_1<Int32>>", typeof(List<int>[]))]
    [InlineData("S_P_CoreLib_System_Text_StringBuilder", typeof(System.Text.StringBuilder))]
    [InlineData("S_P_CoreLib_System_Collections_Generic_Dictionary_2_Enumerator<Int32__Int32>", typeof(Dictionary<int, int>.Enumerator))]
    public void NamesMatchTheBcl(string mangled, Type type) => Assert.Equal(type.Name, TypeNames.SimpleName(mangled));

    [Theory]
    [InlineData("Kernel_Kernel_Shell_Shell", "Shell")]
    [InlineData("Kernel_Kernel_SelfTest_Tests_ExceptionTests_Flag", "Flag")]     // nested: the inner name, as the BCL
    [InlineData("Kernel_Core_Kernel_Sync_Mutex", "Mutex")]
    public void KernelTypesGetTheirOwnName(string mangled, string expected) => Assert.Equal(expected, TypeNames.SimpleName(mangled));
}
