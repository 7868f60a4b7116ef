// TarBuilder.cs -- hand-made tar headers for hostile-archive tests (fields set byte by byte, checksum optional).
using System.Text;

namespace VisorFs.Tests;

internal static class TarBuilder
{
    public static byte[] Header(string name, char type = '0', long size = 0, string link = "", string mode = "0000644",
        bool goodChecksum = true, string magic = "ustar\0", string version = "00", string prefix = "", byte[]? rawName = null,
        byte[]? rawSize = null)
    {
        var h = new byte[512];
        byte[] n = rawName ?? Encoding.UTF8.GetBytes(name);
        Array.Copy(n, h, Math.Min(n.Length, 100));
        Put(h, 100, mode + "\0");
        Put(h, 108, "0001750\0");
        Put(h, 116, "0001750\0");
        if (rawSize != null)
        {
            Array.Copy(rawSize, 0, h, 124, 12);
        }
        else
        {
            Put(h, 124, Convert.ToString(size, 8).PadLeft(11, '0') + "\0");
        }
        Put(h, 136, "14723456701\0");
        h[156] = (byte)type;
        Put(h, 157, link);
        Put(h, 257, magic);
        Put(h, 263, version);
        Put(h, 345, prefix);
        SetChecksum(h, goodChecksum);
        return h;
    }

    public static void SetChecksum(byte[] h, bool good = true)
    {
        for (int i = 148; i < 156; i++) h[i] = (byte)' ';
        int sum = 0;
        foreach (byte b in h) sum += b;
        if (!good) sum += 1;
        Put(h, 148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
    }

    public static void Put(byte[] h, int offset, string s)
    {
        byte[] b = Encoding.UTF8.GetBytes(s);
        Array.Copy(b, 0, h, offset, b.Length);
    }

    public static byte[] Data(byte[] content)
    {
        var d = new byte[(content.Length + 511) / 512 * 512];
        content.CopyTo(d, 0);
        return d;
    }

    public static byte[] File(string name, byte[] content) => [.. Header(name, '0', content.Length), .. Data(content)];

    public static byte[] Pax(Dictionary<string, string> records, string name = "PaxHeaders/x")
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in records)
        {
            string body = " " + k + "=" + v + "\n";
            int len = body.Length;
            int total = len + len.ToString().Length;
            if ((total).ToString().Length != len.ToString().Length) total++;
            sb.Append(total).Append(body);
        }
        byte[] data = Encoding.UTF8.GetBytes(sb.ToString());
        return [.. Header(name, 'x', data.Length), .. Data(data)];
    }

    public static byte[] End() => new byte[1024];

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
