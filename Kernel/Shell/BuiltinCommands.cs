// BuiltinCommands.cs -- the table of commands the shell starts with (one line each; each command has its file).
using System.Collections.Generic;
using Kernel.Shell.Commands;

namespace Kernel.Shell
{
    internal static class BuiltinCommands
    {
        public static void Register(List<ShellCommand> commands)
        {
            commands.Add(new HelpCommand());
            commands.Add(new UnameCommand());
            commands.Add(new UptimeCommand());
            commands.Add(new DmesgCommand());
            commands.Add(new FreeCommand());
            commands.Add(new GcCommand());
            commands.Add(new CpuInfoCommand());
            commands.Add(new LocksCommand());
            commands.Add(new SmpStressCommand());
            commands.Add(new BenchCommand());
            commands.Add(new InterruptsCommand());
            commands.Add(new LspciCommand());
            commands.Add(new PsCommand());
            commands.Add(new SchedStatsCommand());
            commands.Add(new MemstatsCommand());
            commands.Add(new GroupCommand());
            commands.Add(new RunCommand());
            commands.Add(new KillCommand());
            commands.Add(new SleepCommand());
            commands.Add(new LsCommand());
            commands.Add(new CatCommand());
            commands.Add(new EchoCommand());
            commands.Add(new CpCommand());
            commands.Add(new MvCommand());
            commands.Add(new RmCommand());
            commands.Add(new MkdirCommand());
            commands.Add(new RmdirCommand());
            commands.Add(new ChmodCommand());
            commands.Add(new LnCommand());
            commands.Add(new TouchCommand());
            commands.Add(new StatCommand());
            commands.Add(new CdCommand());
            commands.Add(new PwdCommand());
            commands.Add(new MountCommand());
            commands.Add(new VdfCommand());
            commands.Add(new DfCommand());
            commands.Add(new VduCommand());
            commands.Add(new RamdiskCommand());
            commands.Add(new TarCommand());
            commands.Add(new Base64Command());
            commands.Add(new BackupCommand());
            commands.Add(new AutoBackupCommand());
            commands.Add(new InstallBundleCommand());
            commands.Add(new OpenCommand());
            commands.Add(new CloseCommand());
            commands.Add(new CrashCommand());
            commands.Add(new RebootCommand());
            commands.Add(new PowerOffCommand());
        }
    }
}
