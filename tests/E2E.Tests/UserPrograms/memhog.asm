; memhog.asm -- maps and touches anonymous memory 1 MiB at a time, 64 times, printing a dot per MiB: in a group
; with a smaller limit the mapping is refused (admission failure) and the memory policy ends the program.
%include "linux.inc"
section .text
global _start
_start:
    mov r12d, 64
.next:
    mov eax, SYS_mmap
    xor edi, edi
    mov esi, 1 << 20
    mov edx, 3
    mov r10d, 0x22
    mov r8, -1
    xor r9d, r9d
    syscall
    test rax, rax
    js .refused
    mov byte [rax], 1
    print dot, 1
    dec r12d
    jnz .next
    print all, all_len
    exit 0
.refused:
    print refused, refused_len
    exit 3
section .rodata
dot: db "."
message all, "memhog: got 64 MiB"
message refused, "memhog: mmap refused"
