; spin.asm -- computes in ring 3 long enough for many timer interrupts (and switches to kernel worlds and back, with
; their address spaces) to land in the middle of it, then checks its registers and stack survived them.
%include "linux.inc"
section .text
global _start
_start:
    mov r12, 0x1122334455667788
    push r12
    mov rcx, 300000000
    xor eax, eax
.loop:
    add rax, rcx
    dec rcx
    jnz .loop
    mov rbx, 300000000 * 300000001 / 2
    cmp rax, rbx
    expect je, f_sum
    pop r13
    cmp r13, r12
    expect je, f_stack
    print done, done_len
    exit 0
section .rodata
message done, "spin: done, registers intact"
message f_sum, "FAIL sum"
message f_stack, "FAIL stack"
