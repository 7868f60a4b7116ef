/* threads.c -- threads and futexes of a userworld, checked from C (glibc's pthreads, static; also correct on Linux):
   8 threads add to one counter under a pthread mutex and are joined (CLONE_CHILD_CLEARTID's futex wake), a condition
   variable ping-pong between two threads, tids distinct and the pid shared, a thread's exit(2) ends only that
   thread, exit_group(2) from a thread ends the process, the main thread's pthread_exit leaves the others running, a
   thread that faults kills the whole process; the futex calls themselves: EAGAIN when the word differs, ETIMEDOUT
   after a relative and absolute (CLOCK_MONOTONIC and CLOCK_REALTIME) timeout, a wake-up, the bitset filter, EINTR
   when a signal arrives. Prints FAIL lines and ends with "threads: all passed". */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __func__, __LINE__); printf(__VA_ARGS__); printf(" (errno %d)\n", errno); fflush(stdout); } } while (0)

static long futex(uint32_t *word, int op, uint32_t value, const struct timespec *timeout, uint32_t *word2, uint32_t value3)
{
    return syscall(SYS_futex, word, op, value, timeout, word2, value3);
}

static long now_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* --- a counter under a mutex --- */
#define THREADS 8
#define ROUNDS 20000
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static pid_t tids[THREADS];

static void *add(void *arg)
{
    int index = (int)(intptr_t)arg;
    tids[index] = (pid_t)syscall(SYS_gettid);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&counter_lock);
        long seen = counter;
        if ((i & 255) == 0)
            sched_yield();   /* hold the lock across a switch now and then: the others must wait on the futex */
        counter = seen + 1;
        pthread_mutex_unlock(&counter_lock);
    }
    return (void *)(intptr_t)(index + 100);
}

static void mutex_counter(void)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, add, (void *)(intptr_t)i) == 0, "pthread_create %d", i);
    for (int i = 0; i < THREADS; i++) {
        void *result = NULL;
        CHECK(pthread_join(t[i], &result) == 0, "pthread_join %d", i);
        CHECK((intptr_t)result == i + 100, "thread %d returned %ld", i, (long)(intptr_t)result);
    }
    CHECK(counter == (long)THREADS * ROUNDS, "counter %ld, expected %ld", counter, (long)THREADS * ROUNDS);
    pid_t self = (pid_t)syscall(SYS_gettid);
    CHECK(self == getpid(), "the main thread's tid is the pid");
    for (int i = 0; i < THREADS; i++) {
        CHECK(tids[i] > 0 && tids[i] != getpid(), "thread %d tid %d", i, tids[i]);
        for (int j = 0; j < i; j++)
            CHECK(tids[i] != tids[j], "threads %d and %d share tid %d", i, j, tids[i]);
    }
}

/* --- condition variable ping-pong --- */
#define VOLLEYS 500
static pthread_mutex_t ball_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ball_moved = PTHREAD_COND_INITIALIZER;
static int ball;   /* 0: ping's turn, 1: pong's */
static int hits[2];

static void *player(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int i = 0; i < VOLLEYS; i++) {
        pthread_mutex_lock(&ball_lock);
        while (ball != me)
            pthread_cond_wait(&ball_moved, &ball_lock);
        hits[me]++;
        ball = 1 - me;
        pthread_cond_signal(&ball_moved);
        pthread_mutex_unlock(&ball_lock);
    }
    return NULL;
}

static void condvar_ping_pong(void)
{
    pthread_t ping, pong;
    pthread_create(&pong, NULL, player, (void *)1);
    pthread_create(&ping, NULL, player, (void *)0);
    pthread_join(ping, NULL);
    pthread_join(pong, NULL);
    CHECK(hits[0] == VOLLEYS && hits[1] == VOLLEYS, "hits %d/%d", hits[0], hits[1]);
}

/* --- how threads and processes end (each case in a child process) --- */
static void *raw_exit(void *arg) { syscall(SYS_exit, 0); return arg; }
static void *group_exit(void *arg) { (void)arg; syscall(SYS_exit_group, 9); return NULL; }
static void *null_deref(void *arg) { return (void *)(intptr_t)*(volatile int *)(intptr_t)arg; }
static void *outlive_main(void *arg)
{
    (void)arg;
    usleep(20000);
    printf("threads: the last thread ran after main's pthread_exit\n");
    fflush(stdout);
    return NULL;
}

static int status_of(void (*body)(void))
{
    pid_t child = fork();
    if (child == 0) {
        body();
        _exit(0);
    }
    int status = -1;
    CHECK(waitpid(child, &status, 0) == child, "waitpid");
    return status;
}

static void thread_exits_alone(void)
{
    pthread_t t;
    pthread_create(&t, NULL, raw_exit, NULL);
    pthread_join(t, NULL);   /* returns: the tid word was cleared and woken at the thread's exit */
    _exit(7);
}

static void thread_exits_group(void)
{
    pthread_t t;
    pthread_create(&t, NULL, group_exit, NULL);
    pthread_join(t, NULL);   /* never returns: exit_group ends this thread too */
    _exit(1);
}

static void thread_faults(void)
{
    pthread_t t;
    pthread_create(&t, NULL, null_deref, NULL);
    pthread_join(t, NULL);
    _exit(1);
}

static void main_exits_first(void)
{
    pthread_t t;
    pthread_create(&t, NULL, outlive_main, NULL);
    pthread_exit(NULL);
}

static void endings(void)
{
    int status = status_of(thread_exits_alone);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "exit(2) in a thread ends only it: status %#x", status);
    status = status_of(thread_exits_group);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 9, "exit_group(2) in a thread ends the process: status %#x", status);
    status = status_of(thread_faults);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "a thread's fault kills the process: status %#x", status);
    status = status_of(main_exits_first);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "main's pthread_exit, then the last thread: status %#x", status);
}

/* --- the futex calls --- */
static uint32_t word;
static volatile int waiter_result = 1, waiter_errno;

static void *wait_on_word(void *arg)
{
    uint32_t bitset = (uint32_t)(intptr_t)arg;
    long r = bitset ? futex(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, bitset)
                    : futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
    waiter_errno = r == 0 ? 0 : errno;
    waiter_result = (int)r;
    return NULL;
}

static void on_usr1(int signal) { (void)signal; }

static void futex_calls(void)
{
    word = 1;
    errno = 0;
    CHECK(futex(&word, FUTEX_WAIT, 0, NULL, NULL, 0) == -1 && errno == EAGAIN, "the word differs: EAGAIN");

    word = 0;
    struct timespec rel = { 0, 50 * 1000000L };
    long start = now_ms(CLOCK_MONOTONIC);
    errno = 0;
    CHECK(futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &rel, NULL, 0) == -1 && errno == ETIMEDOUT, "relative timeout: ETIMEDOUT");
    long waited = now_ms(CLOCK_MONOTONIC) - start;
    CHECK(waited >= 49 && waited < 2000, "relative 50 ms waited %ld ms", waited);

    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 30 * 1000000L;
    if (abs.tv_nsec >= 1000000000L) { abs.tv_sec++; abs.tv_nsec -= 1000000000L; }
    errno = 0;
    CHECK(futex(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY) == -1 && errno == ETIMEDOUT,
          "absolute CLOCK_MONOTONIC timeout: ETIMEDOUT");
    CHECK(now_ms(CLOCK_MONOTONIC) >= abs.tv_sec * 1000L + abs.tv_nsec / 1000000L, "not woken before the deadline");
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_nsec += 30 * 1000000L;
    if (abs.tv_nsec >= 1000000000L) { abs.tv_sec++; abs.tv_nsec -= 1000000000L; }
    errno = 0;
    CHECK(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY) == -1 && errno == ETIMEDOUT,
          "absolute CLOCK_REALTIME timeout: ETIMEDOUT");
    abs.tv_sec -= 10;
    errno = 0;
    CHECK(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY) == -1 && errno == ETIMEDOUT,
          "a deadline in the past");
    errno = 0;
    CHECK(futex(&word, FUTEX_WAIT_BITSET, 0, NULL, NULL, 0) == -1 && errno == EINVAL, "bitset 0: EINVAL");
    CHECK(futex((uint32_t *)((char *)&word + 1), FUTEX_WAKE, 1, NULL, NULL, 0) == -1 && errno == EINVAL, "unaligned: EINVAL");
    errno = 0;
    CHECK(futex((uint32_t *)8, FUTEX_WAIT, 0, NULL, NULL, 0) == -1 && errno == EFAULT, "unmapped word: EFAULT");
    CHECK(futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0) == 0, "nobody to wake: 0");

    /* A waiter woken by FUTEX_WAKE. */
    pthread_t t;
    waiter_result = 1;
    pthread_create(&t, NULL, wait_on_word, NULL);
    long woken = 0;
    for (int i = 0; i < 2000 && woken == 0; i++) {
        usleep(1000);
        woken = futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
    }
    pthread_join(t, NULL);
    CHECK(woken == 1 && waiter_result == 0, "FUTEX_WAKE woke %ld, the waiter got %d", woken, waiter_result);

    /* The bitset: a wake for bit 2 passes a waiter on bit 1 by; one for bit 1 wakes it. */
    waiter_result = 1;
    pthread_create(&t, NULL, wait_on_word, (void *)1);
    usleep(30000);
    CHECK(futex(&word, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 2) == 0, "bitset 2 wakes nobody");
    woken = 0;
    for (int i = 0; i < 2000 && woken == 0; i++) {
        woken = futex(&word, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 1);
        if (woken == 0)
            usleep(1000);
    }
    pthread_join(t, NULL);
    CHECK(woken == 1 && waiter_result == 0, "bitset 1 woke %ld, the waiter got %d", woken, waiter_result);

    /* A signal for the waiting thread: EINTR (no SA_RESTART). */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr1;
    sigaction(SIGUSR1, &action, NULL);
    waiter_result = 1;
    pthread_create(&t, NULL, wait_on_word, NULL);
    usleep(30000);
    CHECK(pthread_kill(t, SIGUSR1) == 0, "pthread_kill (tgkill to the waiting thread)");
    pthread_join(t, NULL);
    CHECK(waiter_result == -1 && waiter_errno == EINTR, "a signal: %d errno %d", waiter_result, waiter_errno);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    mutex_counter();
    condvar_ping_pong();
    endings();
    futex_calls();
    if (failures == 0)
        printf("threads: all passed\n");
    return failures == 0 ? 0 : 1;
}
