// Exceptions.cs -- exception types. Until the runtime has an unwinder, a throw in kernel code ends in a panic.
namespace System
{
    public class Exception
    {
        private readonly string _message;

        public Exception() { }
        public Exception(string message) { _message = message; }

        public virtual string Message => _message ?? "Exception";
    }

    public class SystemException : Exception
    {
        public SystemException() { }
        public SystemException(string message) : base(message) { }
    }

    public class IndexOutOfRangeException : SystemException { public IndexOutOfRangeException() : base("Index was outside the bounds of the array.") { } }
    public class NullReferenceException : SystemException { public NullReferenceException() : base("Object reference not set to an instance of an object.") { } }
    public class OverflowException : SystemException { public OverflowException() : base("Arithmetic operation resulted in an overflow.") { } }
    public class DivideByZeroException : SystemException { public DivideByZeroException() : base("Attempted to divide by zero.") { } }
    public class InvalidCastException : SystemException { public InvalidCastException() : base("Specified cast is not valid.") { } }
    public class OutOfMemoryException : SystemException { public OutOfMemoryException() : base("Out of memory.") { } }

    public class ArgumentException : SystemException
    {
        public ArgumentException() : base("Value does not fall within the expected range.") { }
        public ArgumentException(string message) : base(message) { }
    }

    public class ArgumentNullException : ArgumentException
    {
        public ArgumentNullException() : base("Value cannot be null.") { }
        public ArgumentNullException(string paramName) : base(paramName) { }
    }

    public class ArgumentOutOfRangeException : ArgumentException
    {
        public ArgumentOutOfRangeException() : base("Specified argument was out of the range of valid values.") { }
        public ArgumentOutOfRangeException(string paramName) : base(paramName) { }
    }

    public class InvalidOperationException : SystemException
    {
        public InvalidOperationException() : base("Operation is not valid due to the current state of the object.") { }
        public InvalidOperationException(string message) : base(message) { }
    }

    public class NotSupportedException : SystemException
    {
        public NotSupportedException() : base("Specified method is not supported.") { }
        public NotSupportedException(string message) : base(message) { }
    }

    public class NotImplementedException : SystemException { public NotImplementedException() : base("The method or operation is not implemented.") { } }
    public class PlatformNotSupportedException : NotSupportedException { public PlatformNotSupportedException() : base("Operation is not supported on this platform.") { } }
}
