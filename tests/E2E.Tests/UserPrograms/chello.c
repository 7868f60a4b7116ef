/* chello.c -- a C program against glibc, linked -static (chello) and -static-pie (chello-pie): the C library's
   start-up (TLS through arch_prctl, IRELATIVE relocations, RELRO through mprotect, brk for malloc) and printf
   through write. Exits with argc so the shell's report proves the status arrived. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    char *block = malloc(100000);
    if (block == NULL)
        return 100;
    strcpy(block + 99990, "heap");
    printf("hello from C, argc=%d argv[1]=%s %s\n", argc, argc > 1 ? argv[1] : "-", block + 99990);
    free(block);
    return argc;
}
