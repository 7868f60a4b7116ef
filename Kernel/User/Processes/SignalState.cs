// SignalState.cs -- a process's signal dispositions (rt_sigaction: the handler, its flags, restorer and mask, as the
// program gave them) and its blocked mask (rt_sigprocmask). fork copies them; execve resets caught signals to their
// default. What a signal does when it arrives is SignalActions' job.
namespace Kernel.User
{
    public sealed class SignalState
    {
        public const int Count = 64;
        public const ulong Default = 0, Ignore = 1;

        public readonly ulong[] Handler = new ulong[Count + 1];
        public readonly ulong[] Flags = new ulong[Count + 1];
        public readonly ulong[] Restorer = new ulong[Count + 1];
        public readonly ulong[] Mask = new ulong[Count + 1];
        public ulong Blocked;
        /// <summary>Signals sent while a handler is installed, not yet delivered (SignalDelivery).</summary>
        public ulong Pending;

        public SignalState CopyForFork()
        {
            var copy = new SignalState { Blocked = Blocked };
            for (int i = 0; i <= Count; i++)
            {
                copy.Handler[i] = Handler[i];
                copy.Flags[i] = Flags[i];
                copy.Restorer[i] = Restorer[i];
                copy.Mask[i] = Mask[i];
            }
            return copy;
        }

        /// <summary>execve: the program's handlers are gone with its image; ignored signals stay ignored.</summary>
        public void ResetForExec()
        {
            for (int i = 0; i <= Count; i++)
                if (Handler[i] != Ignore)
                {
                    Handler[i] = Default;
                    Flags[i] = Restorer[i] = Mask[i] = 0;
                }
        }
    }
}
