// forkbomb.c -- a fork bomb that cleans up after itself: forks until fork fails (or this process is killed), each
// child waiting on a pipe whose write end only the first process holds, so every child ends when that process does
// (by exit or by the memory policy's kill). Prints how many children it made and how fork failed.
// Run inside a small group (`/bin/forkbomb ++group=bomb,max=16`): the group's limit must stop it, nothing outside.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int gate[2];
    if (pipe(gate) != 0) {
        perror("forkbomb: pipe");
        return 1;
    }
    int children = 0;
    for (;;) {
        pid_t child = fork();
        if (child < 0) {
            printf("forkbomb: %d children, then fork failed: %s\n", children, strerror(errno));
            break;
        }
        if (child == 0) {
            char byte;
            close(gate[1]);
            while (read(gate[0], &byte, 1) > 0) {
            }
            _exit(0);
        }
        children++;
        if (children >= 100000) {
            printf("forkbomb: %d children and fork never failed\n", children);
            break;
        }
    }
    fflush(stdout);
    close(gate[1]);
    int reaped = 0;
    while (wait(NULL) > 0)
        reaped++;
    printf("forkbomb: reaped %d\n", reaped);
    return 0;
}
