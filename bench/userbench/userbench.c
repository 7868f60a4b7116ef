// userbench.c -- the userworld anchor benchmark: the same static program, run on this kernel (from a tardisk) and on
// Debian's Linux (as /init of an initramfs) in the same QEMU under -icount shift=0, prints guest instructions per
// operation for each row of issue 11's table. Under -icount the TSC advances by the virtual clock, one tick per
// instruction at shift=0, so rdtsc deltas are instruction counts on both kernels and neither kernel's clock
// resolution matters. Each row is the median of several batches (the spread is printed as min..max).
//
// Output, one line per row: "userbench ROW MEDIAN MIN MAX" (instructions per operation). Build: gcc -O2 -static.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { Batches = 7 };

static inline uint64_t ticks(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

// Runs op(count) Batches times and prints the per-operation median, min and max.
static void row(const char *name, void (*op)(int), int count)
{
    uint64_t per[Batches];
    op(count > 4 ? 4 : count); // warm-up: first-use costs (page faults on the program's own pages) out of the figure
    for (int b = 0; b < Batches; b++) {
        uint64_t start = ticks();
        op(count);
        per[b] = (ticks() - start) / (uint64_t)count;
    }
    qsort(per, Batches, sizeof per[0], compare);
    printf("userbench %-20s %10llu %10llu %10llu\n", name, (unsigned long long)per[Batches / 2],
           (unsigned long long)per[0], (unsigned long long)per[Batches - 1]);
    fflush(stdout);
}

static void null_syscall(int count)
{
    for (int i = 0; i < count; i++)
        syscall(SYS_getppid);
}

static void first_touch(int count)
{
    size_t bytes = (size_t)count * 4096;
    volatile char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("userbench: mmap");
        exit(1);
    }
    for (int i = 0; i < count; i++)
        p[(size_t)i * 4096] = 1;
    munmap((void *)p, bytes);
}

static void fork_exit_wait(int count)
{
    for (int i = 0; i < count; i++) {
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        int status;
        waitpid(child, &status, 0);
    }
}

static void fork_exec_wait(int count)
{
    for (int i = 0; i < count; i++) {
        pid_t child = fork();
        if (child == 0) {
            char *argv[] = {"true", NULL};
            char *envp[] = {NULL};
            execve("/bin/busybox", argv, envp);
            _exit(127);
        }
        int status;
        waitpid(child, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "userbench: busybox true failed (status 0x%x)\n", status);
            exit(1);
        }
    }
}

static void pipe_ping_pong(int count)
{
    int there[2], back[2];
    if (pipe(there) != 0 || pipe(back) != 0) {
        perror("userbench: pipe");
        exit(1);
    }
    pid_t child = fork();
    char byte = 0;
    if (child == 0) {
        for (int i = 0; i < count; i++) {
            if (read(there[0], &byte, 1) != 1 || write(back[1], &byte, 1) != 1)
                _exit(1);
        }
        _exit(0);
    }
    for (int i = 0; i < count; i++) {
        write(there[1], &byte, 1);
        read(back[0], &byte, 1);
    }
    int status;
    waitpid(child, &status, 0);
    close(there[0]);
    close(there[1]);
    close(back[0]);
    close(back[1]);
}

// As Linux's /init there is no console yet unless the initramfs has /dev/console: mount devtmpfs and open it.
static void become_init(void)
{
    if (fcntl(1, F_GETFD) != -1)
        return;
    mkdir("/dev", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    int fd = open("/dev/console", O_RDWR);
    if (fd >= 0) {
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
    }
}

int main(void)
{
    int init = getpid() == 1;
    if (init)
        become_init();
    printf("userbench: start (instructions per operation: median min max)\n");
    fflush(stdout);
    row("getppid", null_syscall, 2000);
    row("first-touch-page", first_touch, 256);
    row("fork-exit-wait", fork_exit_wait, 20);
    row("fork-exec-true-wait", fork_exec_wait, 10);
    row("pipe-round-trip", pipe_ping_pong, 500);
    printf("userbench: done\n");
    fflush(stdout);
    if (init) {
        sync();
        reboot(RB_POWER_OFF);
    }
    return 0;
}
