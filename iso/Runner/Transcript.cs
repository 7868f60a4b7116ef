// Transcript.cs -- the commands typed at the shell and what each printed, as a person would have seen them.
using System.Text;

namespace Vmk.Iso.Runner;

/// <summary>One command: what was typed, what came back before the next prompt, and whether the prompt came back.</summary>
public sealed record TranscriptEntry(string Prompt, string Command, string Output, bool Completed);

public sealed class Transcript
{
    private readonly List<TranscriptEntry> _entries = [];

    public IReadOnlyList<TranscriptEntry> Entries => _entries;

    public void Add(TranscriptEntry entry) => _entries.Add(entry);

    /// <summary>The output of the first entry whose command is <paramref name="command"/>, or null.</summary>
    public string? OutputOf(string command) => _entries.FirstOrDefault(e => e.Command == command)?.Output;

    /// <summary>What the shell printed for a command: the text between typing Enter and the next prompt, without
    /// the echo of the command itself. <paramref name="segment"/> is the clean text from just before the command
    /// was typed up to (not including) the next prompt.</summary>
    public static string ExtractOutput(string segment, string command)
    {
        string text = segment;
        if (text.StartsWith(command, StringComparison.Ordinal))
        {
            text = text[command.Length..];
            if (text.StartsWith('\n'))
            {
                text = text[1..];
            }
        }
        else
        {
            // A log line interleaved with the echo: drop the first line that is the command.
            var lines = text.Split('\n').ToList();
            int echo = lines.FindIndex(l => l.Trim() == command.Trim());
            if (echo >= 0)
            {
                lines.RemoveAt(echo);
                text = string.Join('\n', lines);
            }
        }
        return text.TrimEnd('\n');
    }

    /// <summary>Renders as a terminal would show it: prompt, command, output; lines end in <c>\n</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var entry in _entries)
        {
            text.Append(entry.Prompt).Append(entry.Command).Append('\n');
            if (entry.Output.Length > 0)
            {
                text.Append(entry.Output).Append('\n');
            }
            if (!entry.Completed)
            {
                text.Append("(no prompt after this command)\n");
            }
        }
        return text.ToString();
    }
}
