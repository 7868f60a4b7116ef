// SpaceTable.cs -- the space table df and vdf share: `NAME Size Used Available Use% Mounted on`, sizes in 1K blocks
// or human units (-h). df rounds blocks down as coreutils does; vdf rounds up as ESXi's vdf does.
using Kernel.Text;
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal readonly struct SpaceTable
    {
        private readonly int _nameWidth;
        private readonly bool _human;
        private readonly bool _roundUp;

        public SpaceTable(int nameWidth, bool human, bool roundUp)
        {
            _nameWidth = nameWidth;
            _human = human;
            _roundUp = roundUp;
        }

        public void Header(Shell shell, string name, string sizeTitle)
        {
            var line = new LineBuilder();
            Columns.Text(ref line, name, _nameWidth);
            Columns.Text(ref line, sizeTitle, 10, true);
            Columns.Text(ref line, "Used", 10, true);
            line.Append(" Available Use% Mounted on");
            Columns.WriteLine(shell, ref line);
        }

        public void Row(Shell shell, string name, long size, long used, long available, string mountedOn)
        {
            var line = new LineBuilder();
            Columns.Text(ref line, name, _nameWidth);
            Size(ref line, size);
            Size(ref line, used);
            Size(ref line, available);
            Columns.Number(ref line, size > 0 ? used * 100 / size : 0, 4);
            line.Append("% ");
            line.Append(mountedOn);
            Columns.WriteLine(shell, ref line);
        }

        public void Size(ref LineBuilder line, long bytes)
        {
            if (_human)
                SizeText.AppendHuman(ref line, bytes, 10);
            else
                Columns.Number(ref line, _roundUp ? (bytes + 1023) / 1024 : bytes / 1024, 10);
        }
    }
}
