// MemoryExtensions.cs -- span helpers over strings and arrays (the compiler uses AsSpan for string-to-span).
namespace System
{
    public static class MemoryExtensions
    {
        public static ReadOnlySpan<char> AsSpan(this string text) => text is null ? default : text.AsSpanOfChars();
        public static Span<T> AsSpan<T>(this T[] array) => new Span<T>(array);
        public static Span<T> AsSpan<T>(this T[] array, int start, int length) => new Span<T>(array, start, length);
    }
}
