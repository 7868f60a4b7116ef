// GenericVirtualMethodTests.cs -- generic virtual methods (a virtual or interface method with its own type
// parameters) called where ILC cannot see the receiver's exact type: ILC calls TypeLoaderExports.GVMLookupForSlot,
// which resolves the target from ILC's tables (Runtime/Internal/Runtime/TypeLoader). Each receiver is picked at run
// time (Pick) so that ILC cannot devirtualize the call.
using System;
using System.Collections.Generic;
using System.Runtime;

namespace Kernel.SelfTest.Tests
{
    internal static class GenericVirtualMethodTests
    {
        public static void AddTo(List<SelfTest> tests)
        {
            tests.Add(new ClassMethodsTest());
            tests.Add(new InterfaceMethodsTest());
            tests.Add(new SameArityMethodsTest());
        }

        internal class Animal
        {
            public virtual string Describe<T>(T value) => string.Concat("Animal.", typeof(T).Name);
        }

        internal class Dog : Animal
        {
            public override string Describe<T>(T value) => string.Concat("Dog.", typeof(T).Name);
        }

        internal sealed class Puppy : Dog
        {
        }

        internal class Mixer
        {
            public virtual string Mix<TA, TB>(TA a, TB b) => string.Concat("Mixer.", typeof(TA).Name, ",", typeof(TB).Name);
        }

        internal sealed class Blender : Mixer
        {
            public override string Mix<TA, TB>(TA a, TB b) => string.Concat("Blender.", typeof(TA).Name, ",", typeof(TB).Name, "=", a.ToString(), b.ToString());
        }

        internal class Box<TItem>
        {
            public virtual string Hold<TOther>(TItem item, TOther other) => string.Concat("Box<", typeof(TItem).Name, ">.", typeof(TOther).Name);
        }

        internal sealed class SpecialBox<TItem> : Box<TItem>
        {
            public override string Hold<TOther>(TItem item, TOther other) => string.Concat("SpecialBox<", typeof(TItem).Name, ">.", typeof(TOther).Name);
        }

        internal interface IConverter
        {
            string Convert<T>(T value);
        }

        internal sealed class UpperConverter : IConverter
        {
            public string Convert<T>(T value) => string.Concat("Upper.", typeof(T).Name);
        }

        internal struct LowerConverter : IConverter
        {
            public int Bias;
            public string Convert<T>(T value) => string.Concat("Lower.", typeof(T).Name, Bias.ToString());
        }

        internal class BaseConverter : IConverter
        {
            public virtual string Convert<T>(T value) => string.Concat("Base.", typeof(T).Name);
        }

        internal sealed class DerivedConverter : BaseConverter
        {
            public override string Convert<T>(T value) => string.Concat("Derived.", typeof(T).Name);
        }

        internal interface IGreeter
        {
            string Greet<T>() => string.Concat("IGreeter.", typeof(T).Name);
        }

        internal sealed class DefaultGreeter : IGreeter { }

        internal sealed class OwnGreeter : IGreeter
        {
            public string Greet<T>() => string.Concat("Own.", typeof(T).Name);
        }

        internal interface IVisitor<TState>
        {
            string Visit<T>(TState state, T value);
        }

        internal sealed class Printer<TState> : IVisitor<TState>
        {
            public string Visit<T>(TState state, T value) => string.Concat("Printer<", typeof(TState).Name, ">.", typeof(T).Name);
        }

        internal sealed class IntVisitor : IVisitor<int>
        {
            public string Visit<T>(int state, T value) => string.Concat("IntVisitor.", typeof(T).Name);
        }

        // Generic virtual methods of the same arity on one type, told apart by their metadata handles.
        internal class TwoSlots
        {
            public virtual string First<T>(T value) => string.Concat("TwoSlots.First.", typeof(T).Name);
            public virtual string Second<T>(T value) => string.Concat("TwoSlots.Second.", typeof(T).Name);
            // Overloads: the same name and arity, another signature.
            public virtual string Both<T>(T value) => string.Concat("TwoSlots.Both1.", typeof(T).Name);
            public virtual string Both<T>(T value, int extra) => string.Concat("TwoSlots.Both2.", typeof(T).Name);
        }

        internal class OverridesFirst : TwoSlots
        {
            public override string First<T>(T value) => string.Concat("OverridesFirst.First.", typeof(T).Name);
            public override string Both<T>(T value, int extra) => string.Concat("OverridesFirst.Both2.", typeof(T).Name);
        }

        internal sealed class OverridesSecond : OverridesFirst
        {
            public override string Second<T>(T value) => string.Concat("OverridesSecond.Second.", typeof(T).Name);
        }

        internal interface ITwoWays
        {
            string Left<T>(T value);
            string Right<T>(T value);
        }

        internal class TwoWays : ITwoWays
        {
            public string Left<T>(T value) => string.Concat("TwoWays.Left.", typeof(T).Name);
            public virtual string Right<T>(T value) => string.Concat("TwoWays.Right.", typeof(T).Name);
        }

        internal sealed class RightOverride : TwoWays
        {
            public override string Right<T>(T value) => string.Concat("RightOverride.Right.", typeof(T).Name);
        }

        internal struct TwoWaysStruct : ITwoWays
        {
            public string Left<T>(T value) => string.Concat("Struct.Left.", typeof(T).Name);
            public string Right<T>(T value) => string.Concat("Struct.Right.", typeof(T).Name);
        }

        private static int s_choice = 1;

        private static bool Pick() => s_choice != 0;

        private sealed class ClassMethodsTest : SelfTest
        {
            public override string Name => "gvm: class generic virtual methods (base, override, inherited, two type arguments, generic class)";

            public override void Run(SelfTestContext t)
            {
                Animal animal = Pick() ? new Animal() : new Dog();
                Animal dog = Pick() ? new Dog() : new Animal();
                Animal puppy = Pick() ? new Puppy() : new Animal();
                t.Equal("Animal.Int32", animal.Describe(5), "the base method, value type");
                t.Equal("Dog.Int32", dog.Describe(5), "an override, value type");
                t.Equal("Dog.Int64", puppy.Describe(5L), "an inherited override");
                t.Equal("Dog.Int32", dog.Describe(6), "the same call again (cached)");
                t.Equal("Dog.String", dog.Describe("text"), "an override, reference type (shared code, a dictionary)");
                t.Equal("Animal.String", animal.Describe("text"), "the base method, reference type");
                t.Equal("Dog.Object", puppy.Describe(new object()), "an inherited override, another reference type");
                t.Equal("Dog.String", puppy.Describe("again"), "the shared call again (cached)");
                Mixer mixer = Pick() ? new Blender() : new Mixer();
                t.Equal("Blender.Int32,Int64=34", mixer.Mix(3, 4L), "two type arguments");
                t.Equal("Blender.Int32,String=3s", mixer.Mix(3, "s"), "two type arguments, one of them shared");
                t.Equal("Blender.String,String=ab", mixer.Mix("a", "b"), "two reference-type arguments");
                Mixer plain = Pick() ? new Mixer() : new Blender();
                t.Equal("Mixer.Byte,Int16", plain.Mix((byte)1, (short)2), "two type arguments on the base");
                Box<int> box = Pick() ? new SpecialBox<int>() : new Box<int>();
                t.Equal("SpecialBox<Int32>.Int64", box.Hold(1, 2L), "a generic class's override");
                Box<string> stringBox = Pick() ? new SpecialBox<string>() : new Box<string>();
                t.Equal("SpecialBox<String>.Int32", stringBox.Hold("a", 1), "a shared generic class's override (the class's type argument in the dictionary)");
                t.Equal("SpecialBox<String>.Object", stringBox.Hold("a", new object()), "a shared generic class and a shared method");
                Box<int> plainBox = Pick() ? new Box<int>() : new SpecialBox<int>();
                t.Equal("Box<Int32>.Byte", plainBox.Hold(1, (byte)2), "a generic class's own method");
            }
        }

        private sealed class InterfaceMethodsTest : SelfTest
        {
            public override string Name => "gvm: interface generic methods (two classes, a struct, a virtual override, a default method, generic interfaces)";

            public override void Run(SelfTestContext t)
            {
                IConverter upper = Pick() ? new UpperConverter() : new LowerConverter();
                IConverter lower = Pick() ? new LowerConverter { Bias = 3 } : new UpperConverter();
                t.Equal("Upper.Int64", upper.Convert(5L), "implemented by a class");
                t.Equal("Lower.Int643", lower.Convert(5L), "implemented by a struct (boxed receiver, unboxing stub)");
                t.Equal("Upper.Double", upper.Convert(1.5), "another instantiation");
                t.Equal("Upper.String", upper.Convert("a"), "a reference type, class");
                t.Equal("Lower.String3", lower.Convert("a"), "a reference type, struct");
                IConverter derived = Pick() ? new DerivedConverter() : new UpperConverter();
                t.Equal("Derived.Int32", derived.Convert(1), "implemented by a virtual method a derived class overrides");
                t.Equal("Derived.String", derived.Convert("x"), "the same with a reference type");
                IConverter baseOnly = Pick() ? new BaseConverter() : new UpperConverter();
                t.Equal("Base.Int32", baseOnly.Convert(1), "implemented by the base class's virtual method");
                IGreeter byDefault = Pick() ? new DefaultGreeter() : new OwnGreeter();
                IGreeter own = Pick() ? new OwnGreeter() : new DefaultGreeter();
                t.Equal("IGreeter.Byte", byDefault.Greet<byte>(), "a default interface method");
                t.Equal("IGreeter.String", byDefault.Greet<string>(), "a default interface method, reference type");
                t.Equal("Own.Byte", own.Greet<byte>(), "an implementation instead of the default");
                IVisitor<int> ints = Pick() ? new Printer<int>() : new IntVisitor();
                IVisitor<int> intVisitor = Pick() ? new IntVisitor() : new Printer<int>();
                IVisitor<string> strings = Pick() ? new Printer<string>() : null;
                t.Equal("Printer<Int32>.Int64", ints.Visit(1, 2L), "a generic interface, generic class");
                t.Equal("IntVisitor.Int64", intVisitor.Visit(1, 2L), "a generic interface, closed class");
                t.Equal("IntVisitor.String", intVisitor.Visit(1, "b"), "a generic interface, closed class, shared method");
                t.Equal("Printer<String>.String", strings.Visit("a", "b"), "a generic interface over a reference type, shared class and method");
            }
        }

        private sealed class SameArityMethodsTest : SelfTest
        {
            public override string Name => "gvm: same-arity methods on one type, partial overrides, overloads, same-arity interface methods";

            public override void Run(SelfTestContext t)
            {
                TwoSlots plain = Pick() ? new TwoSlots() : new OverridesFirst();
                t.Equal("TwoSlots.First.Int32", plain.First(1), "the first of two same-arity methods");
                t.Equal("TwoSlots.Second.Int32", plain.Second(1), "the second of two same-arity methods");
                t.Equal("TwoSlots.Second.String", plain.Second("s"), "the second, shared code");
                TwoSlots first = Pick() ? new OverridesFirst() : new TwoSlots();
                t.Equal("OverridesFirst.First.Int32", first.First(1), "the overridden one of two");
                t.Equal("TwoSlots.Second.Int32", first.Second(1), "the one not overridden goes to the base");
                t.Equal("OverridesFirst.First.String", first.First("s"), "the overridden one, shared code");
                t.Equal("TwoSlots.Second.String", first.Second("s"), "the one not overridden, shared code");
                t.Equal("TwoSlots.Both1.Int64", first.Both(1L), "an overload not overridden");
                t.Equal("OverridesFirst.Both2.Int64", first.Both(1L, 2), "the overload overridden");
                t.Equal("TwoSlots.Both1.String", first.Both("s"), "an overload not overridden, shared code");
                t.Equal("OverridesFirst.Both2.String", first.Both("s", 2), "the overload overridden, shared code");
                TwoSlots second = Pick() ? new OverridesSecond() : new TwoSlots();
                t.Equal("OverridesFirst.First.Byte", second.First((byte)1), "an override inherited past a class that overrides another");
                t.Equal("OverridesSecond.Second.Byte", second.Second((byte)1), "the most derived override");
                t.Equal("OverridesSecond.Second.Object", second.Second(new object()), "the most derived override, shared code");

                ITwoWays ways = Pick() ? new TwoWays() : new TwoWaysStruct();
                t.Equal("TwoWays.Left.Int32", ways.Left(1), "the first of two same-arity interface methods");
                t.Equal("TwoWays.Right.Int32", ways.Right(1), "the second");
                t.Equal("TwoWays.Right.String", ways.Right("s"), "the second, shared code");
                ITwoWays right = Pick() ? new RightOverride() : new TwoWays();
                t.Equal("TwoWays.Left.Int32", right.Left(1), "an interface method the derived class does not override");
                t.Equal("RightOverride.Right.Int32", right.Right(1), "an interface method's virtual implementation, overridden");
                t.Equal("RightOverride.Right.String", right.Right("s"), "the same, shared code");
                ITwoWays boxed = Pick() ? new TwoWaysStruct() : new TwoWays();
                t.Equal("Struct.Left.Int16", boxed.Left((short)1), "a struct's first method");
                t.Equal("Struct.Right.Int16", boxed.Right((short)1), "a struct's second method");
                t.Equal("Struct.Right.String", boxed.Right("s"), "a struct's second method, shared code");
            }
        }
    }
}
