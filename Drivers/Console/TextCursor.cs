// TextCursor.cs -- the terminal behaviour both console screens share: where the next character goes, and what
// newline, carriage return, backspace, tab, line wrap and scrolling do. The screen supplies two primitives (draw one
// cell, scroll everything up one row and blank the last row); value-type state, no allocation (it runs before the
// heap exists and inside the panic path).
namespace Drivers.Console
{
    internal unsafe struct TextCursor
    {
        public int Row, Column, Columns, Rows;

        public void Reset(int columns, int rows)
        {
            Columns = columns;
            Rows = rows;
            Row = Column = 0;
        }

        public void Write(char c, delegate*<int, int, char, void> drawCell, delegate*<void> scrollUp)
        {
            switch (c)
            {
                case '\n':
                    NewLine(scrollUp);
                    break;
                case '\r':
                    Column = 0;
                    break;
                case '\b':
                    if (Column > 0)
                        drawCell(--Column, Row, ' ');
                    break;
                case '\t':
                    do
                        Put(' ', drawCell, scrollUp);
                    while (Column % 8 != 0);
                    break;
                default:
                    Put(c >= ' ' && c < 127 ? c : '?', drawCell, scrollUp);
                    break;
            }
        }

        private void Put(char c, delegate*<int, int, char, void> drawCell, delegate*<void> scrollUp)
        {
            if (Column == Columns)
                NewLine(scrollUp);
            drawCell(Column++, Row, c);
        }

        private void NewLine(delegate*<void> scrollUp)
        {
            Column = 0;
            if (++Row < Rows)
                return;
            scrollUp();
            Row = Rows - 1;
        }
    }
}
