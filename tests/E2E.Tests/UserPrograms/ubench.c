/* ubench.c -- process costs in guest instructions: under QEMU's -icount shift=0 the TSC advances one count per
   guest instruction, so rdtsc differences are instruction counts (docs/Measurements.md). Prints the median of
   ROUNDS runs of fork+_exit+wait and of fork+exec(busybox true)+wait when /bin/busybox exists, plus the
   first touch of a fresh anonymous page. On a host it prints TSC cycles, which are not comparable. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

#define ROUNDS 21

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *samples)
{
    qsort(samples, ROUNDS, sizeof *samples, compare);
    return samples[ROUNDS / 2];
}

int main(void)
{
    uint64_t samples[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t start = __rdtsc();
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        waitpid(child, NULL, 0);
        samples[i] = __rdtsc() - start;
    }
    printf("ubench: fork+_exit+wait %llu\n", (unsigned long long)median(samples));

    if (access("/bin/busybox", X_OK) == 0) {
        for (int i = 0; i < ROUNDS; i++) {
            uint64_t start = __rdtsc();
            pid_t child = fork();
            if (child == 0) {
                execl("/bin/busybox", "true", (char *)NULL);
                _exit(127);
            }
            waitpid(child, NULL, 0);
            samples[i] = __rdtsc() - start;
        }
        printf("ubench: fork+exec(busybox true)+wait %llu\n", (unsigned long long)median(samples));
    }

    char *region = mmap(NULL, ROUNDS * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t start = __rdtsc();
        region[i * 4096] = 1;
        samples[i] = __rdtsc() - start;
    }
    printf("ubench: first touch of an anonymous page %llu\n", (unsigned long long)median(samples));
    return 0;
}
