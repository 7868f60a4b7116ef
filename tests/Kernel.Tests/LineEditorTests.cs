// LineEditorTests.cs -- shell line editing (Kernel/Shell/LineEditor.cs) over a recording terminal: echo, erase,
// Ctrl-U, Ctrl-C, line endings, history browsing and the line length limit.
using System.Text;
using CsCheck;
using Kernel.Shell;

namespace Kernel.Tests;

public class LineEditorTests
{
    private sealed class RecordingTerminal : ITerminal
    {
        public readonly StringBuilder Output = new();
        public void Write(char c) => Output.Append(c);
        public void Write(string text) => Output.Append(text);

        public string Take()
        {
            string s = Output.ToString();
            Output.Clear();
            return s;
        }
    }

    private readonly RecordingTerminal _terminal = new();
    private readonly LineEditor _editor;

    public LineEditorTests() => _editor = new LineEditor(_terminal);

    /// <summary>Feeds text; returns every completed line in order.</summary>
    private List<string> Type(string text)
    {
        var lines = new List<string>();
        foreach (char c in text)
        {
            string line = _editor.Feed(c);
            if (line != null)
                lines.Add(line);
        }
        return lines;
    }

    private const string Up = "\u001b[A";
    private const string Down = "\u001b[B";

    [Fact]
    public void Printable_characters_are_echoed_and_enter_submits()
    {
        Assert.Empty(Type("ls -l"));
        Assert.Equal("ls -l", _editor.CurrentText);
        Assert.Equal("ls -l", _terminal.Take());
        Assert.Equal(new[] { "ls -l" }, Type("\r"));
        Assert.Equal("\n", _terminal.Take());
        Assert.Equal("", _editor.CurrentText);
    }

    [Fact]
    public void Control_characters_and_non_ascii_are_ignored()
    {
        Type("a\u0001\tb\u00e9c\u007f");
        Assert.Equal("ab", _editor.CurrentText);
    }

    [Fact]
    public void Backspace_and_delete_erase_one_character_and_stop_at_empty()
    {
        Type("abc");
        _terminal.Take();
        Type("\b");
        Assert.Equal("ab", _editor.CurrentText);
        Type("\u007f\u007f\b\b");
        Assert.Equal("", _editor.CurrentText);
        Assert.Equal("\b \b\b \b\b \b", _terminal.Take());
    }

    [Fact]
    public void Ctrl_U_erases_the_whole_line_on_screen()
    {
        Type("hello");
        _terminal.Take();
        Assert.Empty(Type("\u0015"));
        Assert.Equal("", _editor.CurrentText);
        Assert.Equal(string.Concat(Enumerable.Repeat("\b \b", 5)), _terminal.Take());
        Assert.Equal(new[] { "x" }, Type("x\n"));
    }

    [Fact]
    public void Ctrl_C_cancels_with_an_empty_line_and_no_history()
    {
        Type("rm something");
        _terminal.Take();
        Assert.Equal(new[] { "" }, Type("\u0003"));
        Assert.Equal("^C\n", _terminal.Take());
        Assert.Equal(0, _editor.HistoryCount);
        Assert.Equal("", _editor.CurrentText);
    }

    [Theory]
    [InlineData("a\rb\r", 2)]
    [InlineData("a\nb\n", 2)]
    [InlineData("a\r\nb\r\n", 2)]
    [InlineData("a\n\rb\n\r", 4)]      // LF CR is two line ends, not one pair
    [InlineData("\r\n\r\n", 2)]
    [InlineData("\r\r", 2)]
    [InlineData("\n\n", 2)]
    public void Line_endings_CR_LF_and_CRLF_each_submit_once(string text, int lines)
    {
        List<string> got = Type(text);
        Assert.Equal(lines, got.Count);
        Assert.Equal(lines, _terminal.Output.ToString().Count(c => c == '\n'));
    }

    [Fact]
    public void CR_then_typing_then_LF_is_still_a_separate_line()
    {
        Assert.Equal(new[] { "a", "b" }, Type("a\rb\n"));
    }

    [Fact]
    public void History_browses_up_and_down_with_boundaries()
    {
        Type("one\ntwo\nthree\n");
        _terminal.Take();
        Type(Up);
        Assert.Equal("three", _editor.CurrentText);
        Assert.Equal("three", _terminal.Take());
        Type(Up + Up);
        Assert.Equal("one", _editor.CurrentText);
        _terminal.Take();
        Type(Up);                                      // already at the oldest: nothing happens
        Assert.Equal("one", _editor.CurrentText);
        Assert.Equal("", _terminal.Take());
        Type(Down);
        Assert.Equal("two", _editor.CurrentText);
        Assert.Equal("\b \b\b \b\b \btwo", _terminal.Take());
        Type(Down + Down);                             // past the newest: back to an empty line
        Assert.Equal("", _editor.CurrentText);
        _terminal.Take();
        Type(Down);                                    // already at the bottom: nothing happens
        Assert.Equal("", _terminal.Take());
        Assert.Equal(new[] { "three" }, Type(Up + "\r"));
        Assert.Equal(3, _editor.HistoryCount);         // re-running the newest entry is not stored twice
    }

    [Fact]
    public void Up_with_empty_history_does_nothing()
    {
        Type(Up + Down);
        Assert.Equal("", _editor.CurrentText);
        Assert.Equal("", _terminal.Output.ToString());
    }

    [Fact]
    public void Recalled_line_can_be_edited_and_submitted()
    {
        Type("echo hi\n");
        Assert.Equal(new[] { "echo ho" }, Type(Up + "\bo\r"));
        Assert.Equal(2, _editor.HistoryCount);
    }

    [Fact]
    public void Blank_lines_and_repeats_are_not_stored()
    {
        Type("\n   \nls\nls\n");
        Assert.Equal(1, _editor.HistoryCount);
    }

    [Fact]
    public void History_keeps_the_newest_MaxHistory_entries()
    {
        for (int i = 0; i < LineEditor.MaxHistory + 5; i++)
            Type("cmd" + i + "\n");
        Assert.Equal(LineEditor.MaxHistory, _editor.HistoryCount);
        Type(string.Concat(Enumerable.Repeat(Up, LineEditor.MaxHistory + 3)));
        Assert.Equal("cmd5", _editor.CurrentText);
    }

    [Fact]
    public void Unknown_escape_sequences_are_swallowed()
    {
        Type("a\u001b[Cb\u001bxc");
        Assert.Equal("abc", _editor.CurrentText);
    }

    [Fact]
    public void An_overlong_line_is_refused_whole_never_cut_and_run()
    {
        // The reported damage: a 516-character `echo ... > /etc/vmware/esx.conf.new` was cut to 512 and overwrote
        // esx.conf. Now the whole line is refused.
        string target = " > /etc/vmware/esx.conf.new";
        string line = "echo " + new string('x', LineEditor.MaxLine - 5 - target.Length + 4) + target;
        Assert.True(line.Length > LineEditor.MaxLine);
        var lines = Type(line + "\r");
        Assert.Equal(new[] { "" }, lines);
        Assert.Contains("line too long", _terminal.Take());
        Assert.Equal(0, _editor.HistoryCount);
        // The next line is fine again.
        Assert.Equal(new[] { "uname -a" }, Type("uname -a\r"));
    }

    [Fact]
    public void A_line_of_exactly_MaxLine_characters_runs()
    {
        string line = new string('y', LineEditor.MaxLine);
        Assert.Equal(new[] { line }, Type(line + "\r"));
    }

    [Fact]
    public void A_line_that_lost_input_is_discarded_with_a_message()
    {
        Type("rm /etc/vmware/esx");
        _editor.MarkInputLost();
        Type(".conf.new");
        Assert.Equal(new[] { "" }, Type("\r"));
        Assert.Contains("input was lost", _terminal.Take());
        Assert.Equal(new[] { "ls" }, Type("ls\r"));
    }

    [Theory]
    [InlineData("\u001b[3~")]          // Delete
    [InlineData("\u001b[H")]           // Home
    [InlineData("\u001b[F")]           // End
    [InlineData("\u001b[1~")]          // Home (vt220)
    [InlineData("\u001b[C")]           // right
    [InlineData("\u001b[D")]           // left
    [InlineData("\u001b[1;5C")]        // Ctrl-right
    [InlineData("\u001b[1;5A")]        // Ctrl-up: not history
    [InlineData("\u001b[15~")]         // F5
    [InlineData("\u001bOP")]           // F1 (SS3)
    [InlineData("\u001bb")]            // Alt-b
    [InlineData("\u001b[?2004h")]      // a private-mode sequence
    public void Escape_sequences_are_ignored_whole(string sequence)
    {
        Assert.Equal(new[] { "echo ab" }, Type("echo a" + sequence + "b\r"));
    }

    [Fact]
    public void Bracketed_paste_markers_are_dropped_and_the_pasted_text_typed()
    {
        Assert.Equal(new[] { "echo one", "echo two" }, Type("\u001b[200~echo one\recho two\u001b[201~\r"));
    }

    [Fact]
    public void Ss3_arrows_recall_history_like_csi_arrows()
    {
        Type("first\r");
        Type("second\r");
        Type("\u001bOA");
        Assert.Equal("second", _editor.CurrentText);
        Type("\u001bOA");
        Assert.Equal("first", _editor.CurrentText);
        Type("\u001bOB");
        Assert.Equal("second", _editor.CurrentText);
    }

    [Fact]
    public void Any_byte_sequence_never_submits_text_that_was_inside_an_escape_sequence()
    {
        // Property: a known CSI or SS3 sequence inserted anywhere in a typed line changes nothing about the line.
        var sequences = new[] { "\u001b[3~", "\u001b[200~", "\u001b[201~", "\u001bOQ", "\u001b[2;3R", "\u001b[C", "\u001bx" };
        Gen.Select(Gen.String[Gen.Char['a', 'z'], 1, 30], Gen.Int[0, sequences.Length - 1], Gen.Int[0, 30])
            .Sample((text, which, at) =>
            {
                var editor = new LineEditor(new RecordingTerminal());
                int cut = Math.Min(at, text.Length);
                string typed = text[..cut] + sequences[which] + text[cut..] + "\r";
                string result = null;
                foreach (char c in typed)
                    result = editor.Feed(c) ?? result;
                Assert.Equal(text, result);
            });
    }
}
