// SizeText.cs -- sizes and rates as the VisorFS log and vdf/vdu print them: `12.3 MB`, `326.0 MB/s`, `32M`, `264K`.
namespace Kernel.VisorFs
{
    public static class SizeText
    {
        private const long Megabyte = 1L << 20;

        /// <summary>Bytes in MB with one decimal (`12.3`).</summary>
        public static string Megabytes(long bytes) => Tenths((ulong)bytes * 10 / Megabyte);

        /// <summary>MB/s with one decimal for <paramref name="bytes"/> in <paramref name="microseconds"/>.</summary>
        public static string MegabytesPerSecond(long bytes, ulong microseconds)
        {
            if (microseconds == 0)
                microseconds = 1;
            // bytes * 10^7 fits in 64 bits for anything up to 1.8 TB.
            return Tenths((ulong)bytes * 10000000UL / (microseconds * (ulong)Megabyte));
        }

        /// <summary>A number of tenths as `N.N`.</summary>
        public static string Tenths(ulong tenths) => string.Concat((tenths / 10).ToString(), ".", (tenths % 10).ToString());

        /// <summary>`df -h` style: `0B`, `512B`, `264K`, `32M`, `1.5G` (rounded up, like df).</summary>
        public static string Human(long bytes)
        {
            if (bytes < 1024)
                return string.Concat(bytes.ToString(), "B");
            if (bytes < Megabyte)
                return string.Concat(((bytes + 1023) / 1024).ToString(), "K");
            if (bytes < 1024 * Megabyte)
                return string.Concat(((bytes + Megabyte - 1) / Megabyte).ToString(), "M");
            return string.Concat(Tenths((ulong)((bytes * 10 + 1024 * Megabyte - 1) / (1024 * Megabyte))), "G");
        }

        /// <summary><see cref="Human"/> appended to a line, right-aligned in <paramref name="width"/> (no allocation).</summary>
        public static void AppendHuman(ref Kernel.Text.LineBuilder line, long bytes, int width)
        {
            ulong value;
            char unit;
            bool tenths = false;
            if (bytes < 1024) { value = (ulong)bytes; unit = 'B'; }
            else if (bytes < Megabyte) { value = (ulong)((bytes + 1023) / 1024); unit = 'K'; }
            else if (bytes < 1024 * Megabyte) { value = (ulong)((bytes + Megabyte - 1) / Megabyte); unit = 'M'; }
            else { value = (ulong)((bytes * 10 + 1024 * Megabyte - 1) / (1024 * Megabyte)); unit = 'G'; tenths = true; }
            int digits = 1;
            for (ulong v = tenths ? value / 10 : value; v >= 10; v /= 10)
                digits++;
            for (int i = digits + (tenths ? 3 : 1); i < width; i++)
                line.Append(' ');
            line.AppendDecimal(tenths ? value / 10 : value);
            if (tenths)
            {
                line.Append('.');
                line.AppendDecimal(value % 10);
            }
            line.Append(unit);
        }

        /// <summary>1K blocks, rounded up (`df` without -h).</summary>
        public static string Kilobytes(long bytes) => ((bytes + 1023) / 1024).ToString();
    }
}
