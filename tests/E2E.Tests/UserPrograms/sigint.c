/* sigint.c -- signals that interrupt (glibc, static; also correct on Linux): a blocked pipe read ends with EINTR
   after a handler without SA_RESTART and goes on (returning the data) after one with it; wait4 likewise; poll and
   nanosleep end with EINTR either way, nanosleep with the time left; a process spinning in user mode (no system
   call) runs its handler, and SIGKILL/SIGTERM end it; the SSE registers and MXCSR of a spinning loop survive a
   handler that overwrites them (the handler starts with the default MXCSR and sees the interrupted one in its
   ucontext's fpstate); sigaltstack runs an SA_ONSTACK handler on the alternate stack. Prints FAIL lines and ends
   with "sigint: all passed". */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __func__, __LINE__); printf(__VA_ARGS__); printf(" (errno %d)\n", errno); fflush(stdout); } } while (0)

static volatile sig_atomic_t handled;

static void count_handler(int signal) { (void)signal; handled++; }

static void install(int signal, void (*handler)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaction(signal, &sa, NULL);
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* A child that sends <signal> to the caller after delay_ms, and writes one byte to fd after write_ms more (if fd >= 0). */
static pid_t poke_later(int signal, long delay_ms, int fd, long write_ms)
{
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(delay_ms);
        kill(parent, signal);
        if (fd >= 0) {
            sleep_ms(write_ms);
            write(fd, "x", 1);
        }
        _exit(0);
    }
    return child;
}

static void reap(pid_t child)
{
    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
        ;
}

static void pipe_read_eintr_and_restart(void)
{
    int fds[2];
    char c = 0;
    pipe(fds);
    install(SIGUSR1, count_handler, 0);
    handled = 0;
    pid_t child = poke_later(SIGUSR1, 100, fds[1], 200);
    errno = 0;
    ssize_t n = read(fds[0], &c, 1);
    CHECK(n == -1 && errno == EINTR, "read without SA_RESTART = %zd", n);
    CHECK(handled == 1, "the handler ran once: %d", (int)handled);
    CHECK(read(fds[0], &c, 1) == 1 && c == 'x', "the byte after EINTR");
    reap(child);

    install(SIGUSR1, count_handler, SA_RESTART);
    handled = 0;
    child = poke_later(SIGUSR1, 100, fds[1], 200);
    errno = 0;
    c = 0;
    n = read(fds[0], &c, 1);
    CHECK(n == 1 && c == 'x', "read with SA_RESTART = %zd", n);
    CHECK(handled == 1, "the handler ran once: %d", (int)handled);
    reap(child);
    close(fds[0]);
    close(fds[1]);
}

static void wait_poll_and_sleep(void)
{
    int fds[2];
    pipe(fds);
    /* wait4 for a child that outlives the signal. */
    pid_t sleeper = fork();
    if (sleeper == 0) {
        sleep_ms(400);
        _exit(3);
    }
    install(SIGUSR1, count_handler, 0);
    handled = 0;
    pid_t poker = poke_later(SIGUSR1, 100, -1, 0);
    int status = 0;
    errno = 0;
    CHECK(waitpid(sleeper, &status, 0) == -1 && errno == EINTR, "waitpid without SA_RESTART");
    install(SIGUSR1, count_handler, SA_RESTART);
    reap(poker);
    poker = poke_later(SIGUSR1, 50, -1, 0);
    CHECK(waitpid(sleeper, &status, 0) == sleeper && WIFEXITED(status) && WEXITSTATUS(status) == 3, "waitpid with SA_RESTART: %#x", status);
    CHECK(handled == 2, "handlers: %d", (int)handled);
    reap(poker);

    /* poll with a timeout: EINTR even with SA_RESTART. */
    poker = poke_later(SIGUSR1, 100, -1, 0);
    struct pollfd p = { fds[0], POLLIN, 0 };
    errno = 0;
    CHECK(poll(&p, 1, 5000) == -1 && errno == EINTR, "poll");
    reap(poker);

    /* nanosleep: EINTR with the time left. */
    poker = poke_later(SIGUSR1, 100, -1, 0);
    struct timespec request = { 3, 0 }, left = { 0, 0 };
    errno = 0;
    CHECK(nanosleep(&request, &left) == -1 && errno == EINTR, "nanosleep");
    CHECK(left.tv_sec >= 1 && left.tv_sec <= 2, "time left %ld.%09ld", (long)left.tv_sec, left.tv_nsec);
    reap(poker);
    close(fds[0]);
    close(fds[1]);
}

static volatile sig_atomic_t stop_spinning;

static void stop_handler(int signal) { (void)signal; stop_spinning = 1; }

static void spinning_process(void)
{
    int gate[2];
    pipe(gate);
    pid_t child = fork();
    if (child == 0) {
        install(SIGUSR1, stop_handler, 0);
        write(gate[1], "r", 1);
        while (!stop_spinning)
            ;   /* no system call: only a return from an interrupt can run the handler */
        _exit(5);
    }
    char c;
    read(gate[0], &c, 1);
    sleep_ms(50);
    kill(child, SIGUSR1);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 5, "spinner's handler: %#x", status);

    int signals[] = { SIGTERM, SIGKILL };
    for (int i = 0; i < 2; i++) {
        child = fork();
        if (child == 0) {
            write(gate[1], "r", 1);
            for (;;)
                ;
        }
        read(gate[0], &c, 1);
        sleep_ms(50);
        kill(child, signals[i]);
        CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == signals[i], "spinner killed by %d: %#x", signals[i], status);
    }
    close(gate[0]);
    close(gate[1]);
}

static volatile uint32_t handler_mxcsr, frame_mxcsr;
static volatile int frame_has_fpstate;
static volatile int fpu_signalled;

static void sse_handler(int signal, siginfo_t *info, void *context)
{
    (void)signal;
    (void)info;
    uint32_t mxcsr;
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    handler_mxcsr = mxcsr;
    ucontext_t *uc = context;
    frame_has_fpstate = uc->uc_mcontext.fpregs != NULL;
    if (frame_has_fpstate)
        frame_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    /* Overwrite every XMM register and MXCSR: the interrupted code must not notice. */
    uint32_t odd = 0x7F80;   /* round toward zero, all exceptions masked */
    __asm__ volatile(
        "pcmpeqd %%xmm0, %%xmm0\n\tpcmpeqd %%xmm1, %%xmm1\n\tpcmpeqd %%xmm2, %%xmm2\n\tpcmpeqd %%xmm3, %%xmm3\n\t"
        "pcmpeqd %%xmm4, %%xmm4\n\tpcmpeqd %%xmm5, %%xmm5\n\tpcmpeqd %%xmm6, %%xmm6\n\tpcmpeqd %%xmm7, %%xmm7\n\t"
        "pcmpeqd %%xmm8, %%xmm8\n\tpcmpeqd %%xmm9, %%xmm9\n\tpcmpeqd %%xmm10, %%xmm10\n\tpcmpeqd %%xmm11, %%xmm11\n\t"
        "pcmpeqd %%xmm12, %%xmm12\n\tpcmpeqd %%xmm13, %%xmm13\n\tpcmpeqd %%xmm14, %%xmm14\n\tpcmpeqd %%xmm15, %%xmm15\n\t"
        "ldmxcsr %0"
        : : "m"(odd)
        : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",
          "xmm13", "xmm14", "xmm15");
    fpu_signalled = 1;
}

static void fpu_state_survives_a_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = sse_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR2, &sa, NULL);
    uint8_t in[256], out[256];
    for (int i = 0; i < 256; i++)
        in[i] = (uint8_t)(i * 7 + 3);
    memset(out, 0, sizeof out);
    uint32_t mxcsr_in = 0x3F80, mxcsr_out = 0;   /* round down: not the default */
    pid_t poker = poke_later(SIGUSR2, 100, -1, 0);
    __asm__ volatile(
        "ldmxcsr %[mi]\n\t"
        "movdqu 0(%[in]), %%xmm0\n\tmovdqu 16(%[in]), %%xmm1\n\tmovdqu 32(%[in]), %%xmm2\n\tmovdqu 48(%[in]), %%xmm3\n\t"
        "movdqu 64(%[in]), %%xmm4\n\tmovdqu 80(%[in]), %%xmm5\n\tmovdqu 96(%[in]), %%xmm6\n\tmovdqu 112(%[in]), %%xmm7\n\t"
        "movdqu 128(%[in]), %%xmm8\n\tmovdqu 144(%[in]), %%xmm9\n\tmovdqu 160(%[in]), %%xmm10\n\tmovdqu 176(%[in]), %%xmm11\n\t"
        "movdqu 192(%[in]), %%xmm12\n\tmovdqu 208(%[in]), %%xmm13\n\tmovdqu 224(%[in]), %%xmm14\n\tmovdqu 240(%[in]), %%xmm15\n\t"
        "1: cmpl $0, %[flag]\n\tje 1b\n\t"
        "movdqu %%xmm0, 0(%[out])\n\tmovdqu %%xmm1, 16(%[out])\n\tmovdqu %%xmm2, 32(%[out])\n\tmovdqu %%xmm3, 48(%[out])\n\t"
        "movdqu %%xmm4, 64(%[out])\n\tmovdqu %%xmm5, 80(%[out])\n\tmovdqu %%xmm6, 96(%[out])\n\tmovdqu %%xmm7, 112(%[out])\n\t"
        "movdqu %%xmm8, 128(%[out])\n\tmovdqu %%xmm9, 144(%[out])\n\tmovdqu %%xmm10, 160(%[out])\n\tmovdqu %%xmm11, 176(%[out])\n\t"
        "movdqu %%xmm12, 192(%[out])\n\tmovdqu %%xmm13, 208(%[out])\n\tmovdqu %%xmm14, 224(%[out])\n\tmovdqu %%xmm15, 240(%[out])\n\t"
        "stmxcsr %[mo]\n\t"
        "movl $0x1F80, %%eax\n\tmovl %%eax, %[mi]\n\tldmxcsr %[mi]"
        : [mo] "=m"(mxcsr_out), [mi] "+m"(mxcsr_in)
        : [in] "r"(in), [out] "r"(out), [flag] "m"(fpu_signalled)
        : "eax", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
          "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    reap(poker);
    CHECK(memcmp(in, out, sizeof in) == 0, "XMM0-15 changed across the handler");
    CHECK(mxcsr_out == 0x3F80, "MXCSR after the handler %#x", mxcsr_out);
    CHECK(handler_mxcsr == 0x1F80, "MXCSR in the handler %#x (the default)", handler_mxcsr);
    CHECK(frame_has_fpstate && frame_mxcsr == 0x3F80, "fpstate in the ucontext: %d, its MXCSR %#x", frame_has_fpstate, frame_mxcsr);
}

static char alt_stack[65536];
static volatile uintptr_t handler_local;
static volatile int handler_ss_flags;

static void alt_handler(int signal)
{
    (void)signal;
    volatile int local = 0;
    handler_local = (uintptr_t)&local;
    stack_t now;
    sigaltstack(NULL, &now);
    handler_ss_flags = now.ss_flags;
}

static void alternate_stack(void)
{
    stack_t ss = { .ss_sp = alt_stack, .ss_flags = 0, .ss_size = sizeof alt_stack }, old;
    CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE, "no alternate stack at first: %d", old.ss_flags);
    stack_t small = { .ss_sp = alt_stack, .ss_flags = 0, .ss_size = 1024 };
    errno = 0;
    CHECK(sigaltstack(&small, NULL) == -1 && errno == ENOMEM, "a 1 KiB stack is too small");
    CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack");
    install(SIGUSR1, alt_handler, SA_ONSTACK);
    raise(SIGUSR1);
    CHECK(handler_local > (uintptr_t)alt_stack && handler_local < (uintptr_t)alt_stack + sizeof alt_stack, "handler's stack %#lx", (unsigned long)handler_local);
    CHECK(handler_ss_flags == SS_ONSTACK, "ss_flags in the handler %d", handler_ss_flags);
    install(SIGUSR1, alt_handler, 0);
    raise(SIGUSR1);
    CHECK(!(handler_local > (uintptr_t)alt_stack && handler_local < (uintptr_t)alt_stack + sizeof alt_stack), "without SA_ONSTACK: the ordinary stack");
    CHECK(sigaltstack(NULL, &old) == 0 && old.ss_sp == alt_stack && old.ss_size == sizeof alt_stack && old.ss_flags == 0, "the stack reported back");
    ss.ss_flags = SS_DISABLE;
    CHECK(sigaltstack(&ss, NULL) == 0 && sigaltstack(NULL, &old) == 0 && old.ss_flags == SS_DISABLE, "disabled again");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pipe_read_eintr_and_restart();
    wait_poll_and_sleep();
    spinning_process();
    fpu_state_survives_a_handler();
    alternate_stack();
    if (failures == 0)
        printf("sigint: all passed\n");
    return failures == 0 ? 0 : 1;
}
