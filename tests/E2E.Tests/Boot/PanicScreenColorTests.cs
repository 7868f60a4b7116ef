// PanicScreenColorTests.cs -- the console screen really shows text, and `crash` really turns it purple: QEMU
// screendumps (over QMP) under SeaBIOS (VGA text mode) and OVMF (GOP framebuffer console).
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

[Collection(Collections.Bios)]
[Trait("Category", "QEMU")]
public sealed class BiosPanicScreenColorTests
{
    [Fact(Timeout = 180_000)]
    public Task BiosIso_ShowsText_ThenPurplePanicScreen() =>
        PanicScreenCheck.RunAsync(BootKind.Bios, nameof(BiosPanicScreenColorTests), TimeSpan.FromSeconds(90));
}

[Collection(Collections.Uefi)]
[Trait("Category", "QEMU")]
public sealed class UefiPanicScreenColorTests
{
    [Fact(Timeout = 240_000)]
    public Task UefiIso_ShowsText_ThenPurplePanicScreen() =>
        PanicScreenCheck.RunAsync(BootKind.Uefi, nameof(UefiPanicScreenColorTests), TimeSpan.FromSeconds(150));
}

internal static partial class PanicScreenCheck
{
    [GeneratedRegex(@"No core dump: the kernel is halted\.")]
    private static partial Regex PanicEnd();

    public static async Task RunAsync(BootKind boot, string testClass, TimeSpan bootTimeout)
    {
        string dir = Path.Combine(Path.GetTempPath(), "vmk-screen-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        string qmp = Path.Combine(dir, "qmp.sock");
        try
        {
            // panic=halt: the panic screen must stay up for the screendump (the harness default would exit QEMU).
            var config = Guest.Config(boot, "panic=halt") with { ExtraArguments = ["-qmp", $"unix:{qmp},server=on,wait=off"] };
            await using var guest = await Guest.StartAsync(config, testClass, $"{boot}_PanicScreen");
            await guest.ExpectPromptAsync(bootTimeout);
            await guest.RunAsync("uname -a");

            Screen normal = await Screendump(qmp, Path.Combine(dir, "shell.ppm"));
            var (background, share) = normal.Dominant();
            guest.Check(IsDark(background) && share > 0.5, $"shell screen: expected a dark background, dominant colour is {Hex(background)} ({share:P0})");
            guest.Check(normal.ShareOf(IsLight) > 0.005, $"shell screen: no light text pixels (light share {normal.ShareOf(IsLight):P2})");

            await guest.Session.SendLineAsync("crash");
            await guest.ExpectAsync(PanicEnd(), Guest.CommandTimeout, what: "the end of the panic screen");
            Screen panic = await Screendump(qmp, Path.Combine(dir, "panic.ppm"));
            (background, share) = panic.Dominant();
            guest.Check(IsPurple(background) && share > 0.5, $"panic screen: expected purple, dominant colour is {Hex(background)} ({share:P0})");
            guest.Check(panic.ShareOf(IsWhite) > 0.005, $"panic screen: no white text pixels (white share {panic.ShareOf(IsWhite):P2})");
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static bool IsDark((byte R, byte G, byte B) c) => c.R < 0x30 && c.G < 0x30 && c.B < 0x30;
    private static bool IsLight((byte R, byte G, byte B) c) => c.R > 0x80 && c.G > 0x80 && c.B > 0x80;
    private static bool IsWhite((byte R, byte G, byte B) c) => c.R > 0xE0 && c.G > 0xE0 && c.B > 0xE0;
    private static bool IsPurple((byte R, byte G, byte B) c) => c.R > 0x60 && c.B > 0x60 && c.G < c.R / 2 && c.G < c.B / 2;
    private static string Hex((byte R, byte G, byte B) c) => $"#{c.R:X2}{c.G:X2}{c.B:X2}";

    /// <summary>QMP: capabilities handshake, then <c>screendump</c> to a PPM file, which is read back.</summary>
    private static async Task<Screen> Screendump(string socketPath, string file)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        await ReadReply(reader, greeting: true);
        await writer.WriteLineAsync("{\"execute\":\"qmp_capabilities\"}");
        await ReadReply(reader);
        await writer.WriteLineAsync("{\"execute\":\"screendump\",\"arguments\":{\"filename\":\"" + file + "\"}}");
        await ReadReply(reader);
        return Screen.ReadPpm(await File.ReadAllBytesAsync(file));
    }

    // Skips asynchronous events; fails on an error reply.
    private static async Task ReadReply(StreamReader reader, bool greeting = false)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            string line = await reader.ReadLineAsync(timeout.Token) ?? throw new IOException("QMP connection closed");
            if (greeting ? line.Contains("\"QMP\"", StringComparison.Ordinal) : line.Contains("\"return\"", StringComparison.Ordinal))
            {
                return;
            }
            if (line.Contains("\"error\"", StringComparison.Ordinal))
            {
                throw new IOException("QMP error: " + line);
            }
        }
    }

    /// <summary>A binary PPM (P6, maxval 255) as RGB triples.</summary>
    private sealed class Screen
    {
        private readonly byte[] _pixels;
        private readonly int _offset;

        private Screen(byte[] pixels, int offset, int width, int height)
        {
            _pixels = pixels;
            _offset = offset;
            Width = width;
            Height = height;
        }

        public int Width { get; }
        public int Height { get; }

        public static Screen ReadPpm(byte[] data)
        {
            int position = 0;
            string[] fields = new string[4];
            for (int i = 0; i < 4; i++)
            {
                while (position < data.Length && (char.IsWhiteSpace((char)data[position]) || data[position] == '#'))
                {
                    if (data[position] == '#')
                    {
                        while (position < data.Length && data[position] != '\n')
                        {
                            position++;
                        }
                    }
                    else
                    {
                        position++;
                    }
                }
                int start = position;
                while (position < data.Length && !char.IsWhiteSpace((char)data[position]))
                {
                    position++;
                }
                fields[i] = Encoding.ASCII.GetString(data, start, position - start);
            }
            position++;   // the single whitespace byte before the raster
            if (fields[0] != "P6" || fields[3] != "255")
            {
                throw new InvalidDataException($"not a P6/255 PPM: {fields[0]} {fields[3]}");
            }
            int width = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            int height = int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
            if (width <= 0 || height <= 0 || data.Length - position < (long)width * height * 3)
            {
                throw new InvalidDataException($"truncated PPM {width}x{height}");
            }
            return new Screen(data, position, width, height);
        }

        private IEnumerable<(byte R, byte G, byte B)> Pixels()
        {
            for (int i = 0, p = _offset; i < Width * Height; i++, p += 3)
            {
                yield return (_pixels[p], _pixels[p + 1], _pixels[p + 2]);
            }
        }

        public ((byte R, byte G, byte B) Colour, double Share) Dominant()
        {
            var counts = Pixels().GroupBy(c => c).Select(g => (g.Key, Count: g.Count())).MaxBy(g => g.Count);
            return (counts.Key, counts.Count / (double)(Width * Height));
        }

        public double ShareOf(Func<(byte R, byte G, byte B), bool> predicate) =>
            Pixels().Count(predicate) / (double)(Width * Height);
    }
}
