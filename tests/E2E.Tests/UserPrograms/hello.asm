; hello.asm -- the first userworld: prints a line and exits with status 0.
%include "linux.inc"
section .text
global _start
_start:
    print greeting, greeting_len
    exit 0
section .rodata
message greeting, "hello, world from ring 3"
