/* procs.c -- processes and pipes of a userworld, checked from C (glibc, static; also correct on Linux): fork and
   wait4 with exit statuses, WNOHANG, ECHILD; getpid/getppid; a child killed by SIGTERM, SIGKILL, a segfault and
   SIGPIPE shows as signalled; pipes (data across processes, EOF when the writers close, EPIPE with SIGPIPE
   ignored); vfork; execve of this program (fds without FD_CLOEXEC survive it, those with it do not); process
   groups. Prints FAIL lines and ends with "procs: all passed". "procs exec FD" is the execve'd half. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __func__, __LINE__); printf(__VA_ARGS__); printf(" (errno %d)\n", errno); fflush(stdout); } } while (0)

static void exit_statuses(void)
{
    pid_t self = getpid();
    pid_t child = fork();
    if (child == 0) {
        if (getppid() != self)
            _exit(99);
        _exit(42);
    }
    CHECK(child > 0 && child != self, "fork = %d", child);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child, "waitpid");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42, "exit status %#x", status);
    errno = 0;
    CHECK(waitpid(child, &status, 0) == -1 && errno == ECHILD, "a reaped child is gone");
    CHECK(wait(&status) == -1 && errno == ECHILD, "no children: ECHILD");

    /* Several children, collected in any order by wait(). */
    int seen = 0;
    for (int i = 1; i <= 3; i++)
        if (fork() == 0)
            exit(i);
    for (int i = 0; i < 3; i++) {
        CHECK(wait(&status) > 0 && WIFEXITED(status), "wait %d", i);
        seen |= 1 << WEXITSTATUS(status);
    }
    CHECK(seen == 0xE, "statuses 1, 2, 3 seen: %#x", seen);

    /* WNOHANG: 0 while the child runs. */
    int gate[2];
    pipe(gate);
    child = fork();
    if (child == 0) {
        char c;
        close(gate[1]);
        read(gate[0], &c, 1);   /* until the parent closes its end */
        _exit(7);
    }
    close(gate[0]);
    CHECK(waitpid(child, &status, WNOHANG) == 0, "WNOHANG while running");
    close(gate[1]);
    CHECK(waitpid(child, &status, 0) == child && WEXITSTATUS(status) == 7, "after EOF: %#x", status);
    printf("fork: exit statuses, wait, WNOHANG, ECHILD\n");
}

static void signals(void)
{
    int status;
    pid_t child = fork();
    if (child == 0) {
        for (;;)
            pause();
    }
    CHECK(kill(child, SIGTERM) == 0, "kill SIGTERM");
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "SIGTERM: %#x", status);

    int ready[2];
    pipe(ready);
    child = fork();
    if (child == 0) {
        signal(SIGTERM, SIG_IGN);
        write(ready[1], "r", 1);
        for (;;)
            sched_yield();
    }
    char c;
    CHECK(read(ready[0], &c, 1) == 1, "the child's ready byte");
    close(ready[0]);
    close(ready[1]);
    kill(child, SIGTERM);   /* ignored */
    struct timespec pause_ = { 0, 20 * 1000 * 1000 };
    nanosleep(&pause_, NULL);
    CHECK(waitpid(child, &status, WNOHANG) == 0, "an ignored SIGTERM leaves it running");
    CHECK(kill(child, SIGKILL) == 0, "kill SIGKILL");
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "SIGKILL: %#x", status);

    child = fork();
    if (child == 0) {
        volatile int *volatile nowhere = (int *)8;
        *nowhere = 1;
        _exit(0);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "a segfault: %#x", status);
    errno = 0;
    CHECK(kill(999999, SIGTERM) == -1 && errno == ESRCH, "kill a missing pid");
    CHECK(kill(getpid(), 0) == 0, "kill 0 probes");
    printf("signals: SIGTERM, ignored SIGTERM, SIGKILL, SIGSEGV in a child\n");
}

static void pipes(void)
{
    int p[2];
    CHECK(pipe(p) == 0 && p[0] >= 3 && p[1] == p[0] + 1, "pipe");
    pid_t child = fork();
    if (child == 0) {
        close(p[0]);
        char big[20000];
        for (int i = 0; i < (int)sizeof big; i++)
            big[i] = (char)i;
        for (int round = 0; round < 5; round++)   /* 100000 bytes: more than the pipe holds */
            if (write(p[1], big, sizeof big) != sizeof big)
                _exit(1);
        _exit(0);
    }
    close(p[1]);
    long total = 0;
    int ok = 1;
    char buf[7000];
    for (;;) {
        ssize_t n = read(p[0], buf, sizeof buf);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != (char)((total + i) % 20000))
                ok = 0;
        total += n;
    }
    CHECK(total == 100000 && ok, "read %ld bytes through the pipe, in order %d", total, ok);
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the writer: %#x", status);
    CHECK(read(p[0], buf, 1) == 0, "EOF once the writer is gone");
    close(p[0]);

    /* No reader: SIGPIPE kills by default; ignored, the write is EPIPE. */
    pipe(p);
    close(p[0]);
    child = fork();
    if (child == 0) {
        write(p[1], "x", 1);
        _exit(0);
    }
    CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "SIGPIPE: %#x", status);
    signal(SIGPIPE, SIG_IGN);
    errno = 0;
    CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE, "EPIPE");
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);

    CHECK(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC, "pipe2 O_CLOEXEC");
    errno = 0;
    CHECK(read(p[0], buf, 1) == -1 && errno == EAGAIN, "O_NONBLOCK empty read");
    close(p[0]);
    close(p[1]);
    printf("pipes: data across fork, EOF, SIGPIPE, EPIPE, O_NONBLOCK\n");
}

static void groups_and_vfork(void)
{
    int status;
    pid_t child = fork();
    if (child == 0) {
        if (setpgid(0, 0) != 0 || getpgid(0) != getpid())
            _exit(1);
        _exit(0);
    }
    CHECK(waitpid(child, &status, 0) == child && WEXITSTATUS(status) == 0, "setpgid in the child: %#x", status);
    CHECK(getpgid(0) == getpgrp(), "getpgid(0) is getpgrp()");
    volatile int touched = 0;
    child = vfork();
    if (child == 0) {
        touched = 1;   /* shared with the parent on Linux, a copy here: neither is checked */
        _exit(5);
    }
    CHECK(waitpid(child, &status, 0) == child && WEXITSTATUS(status) == 5, "vfork: %#x", status);
    (void)touched;
    printf("groups: setpgid, getpgid; vfork\n");
}

static volatile sig_atomic_t caught, caught_signal, children_ended;
static void on_usr1(int signal) { caught++; caught_signal = signal; }
static void on_chld(int signal) { (void)signal; children_ended++; }

static void handlers(void)
{
    /* raise: the handler runs before raise returns, and the code around it goes on with its values. */
    signal(SIGUSR1, on_usr1);
    volatile long before = 123456789;
    CHECK(raise(SIGUSR1) == 0 && caught == 1 && caught_signal == SIGUSR1, "raise SIGUSR1: caught %d", (int)caught);
    CHECK(before == 123456789, "values survive the handler");
    /* Blocked: pending until unblocked. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    CHECK(caught == 1, "blocked: not yet");
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(caught == 2, "unblocked: delivered (%d)", (int)caught);
    /* sigaction with SA_SIGINFO-less handler and SA_RESETHAND: the second one is the default again. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    CHECK(caught == 3 && caught_signal == SIGUSR2, "SA_RESETHAND first delivery");
    struct sigaction now;
    sigaction(SIGUSR2, NULL, &now);
    CHECK(now.sa_handler == SIG_DFL, "SA_RESETHAND reset it");
    /* Another process's handler: the child pauses until SIGUSR1 arrives, its handler runs, it exits 55. */
    int ready[2];
    pipe(ready);
    pid_t child = fork();
    if (child == 0) {
        caught = 0;
        write(ready[1], "r", 1);
        while (!caught)
            pause();
        _exit(caught_signal == SIGUSR1 ? 55 : 56);
    }
    char c;
    read(ready[0], &c, 1);
    close(ready[0]);
    close(ready[1]);
    CHECK(kill(child, SIGUSR1) == 0, "kill SIGUSR1");
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 55, "the child's handler ran: %#x", status);
    /* SIGCHLD with a handler: it runs when a child ends. */
    signal(SIGCHLD, on_chld);
    child = fork();
    if (child == 0)
        _exit(0);
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
        ;
    struct timespec nap = { 0, 1000000 };
    nanosleep(&nap, NULL);
    CHECK(children_ended >= 1, "SIGCHLD handler: %d", (int)children_ended);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGUSR1, SIG_DFL);
    printf("handlers: raise, blocked and pending, SA_RESETHAND, a child's handler, SIGCHLD\n");
}

static void exec_self(const char *self)
{
    int keep = open("/dev/null", O_RDONLY);
    int drop = open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_t child = fork();
    if (child == 0) {
        char keepText[16], dropText[16];
        snprintf(keepText, sizeof keepText, "%d", keep);
        snprintf(dropText, sizeof dropText, "%d", drop);
        char *argv[] = { (char *)self, "exec", keepText, dropText, NULL };
        char *envp[] = { "PROCS_TEST=yes", NULL };
        execve(self, argv, envp);
        _exit(100);
    }
    int status;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 33, "the exec'd program's status: %#x", status);
    errno = 0;
    char *argv[] = { "nothere", NULL };
    CHECK(execve("/nothere", argv, argv + 1) == -1 && errno == ENOENT, "execve of a missing file");
    CHECK(execve("/tmp", argv, argv + 1) == -1 && errno == EACCES, "execve of a directory");
    close(keep);
    close(drop);
    printf("execve: new image, argv, envp, FD_CLOEXEC\n");
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "exec") == 0) {
        /* The execve'd half: argv and envp arrived, fd `keep` is open, fd `drop` is not. */
        const char *env = getenv("PROCS_TEST");
        int keepOpen = fcntl(atoi(argv[2]), F_GETFD) != -1;
        int dropOpen = fcntl(atoi(argv[3]), F_GETFD) != -1;
        if (env && strcmp(env, "yes") == 0 && keepOpen && !dropOpen)
            return 33;
        printf("FAIL exec: env %s keep %d drop %d\n", env ? env : "(none)", keepOpen, dropOpen);
        return 34;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    exit_statuses();
    signals();
    pipes();
    groups_and_vfork();
    handlers();
    exec_self(argv[0]);
    if (failures == 0)
        printf("procs: all passed\n");
    return failures;
}
