; nullderef.asm -- reads through a null pointer: the CPU raises #PF in ring 3 and only this program dies.
%include "linux.inc"
section .text
global _start
_start:
    print before, before_len
    xor eax, eax
    mov rax, [rax + 8]
    print after, after_len       ; never reached
    exit 0
section .rodata
message before, "about to dereference null"
message after, "FAIL still alive"
