; isr.asm -- the 256 interrupt entry stubs and the common path into C# (KInterruptDispatch).
;
; Every stub pushes a uniform frame (a zero error code where the CPU pushes none, then the vector), and
; isr_common saves all general registers and the SSE state (C# uses XMM registers freely), aligns the stack and
; calls the C# dispatcher with a pointer to the frame. rbp is left as the interrupted code had it, so a frame-pointer
; walk from the handler continues through the interrupted code's callers (the panic screen prints the interrupted
; RIP itself first).
default rel
bits 64
section .text

extern KInterruptDispatch

%macro STUB 1
isr_stub_%1:
%if (%1 == 8) || (%1 == 10) || (%1 == 11) || (%1 == 12) || (%1 == 13) || (%1 == 14) || (%1 == 17) || (%1 == 21) || (%1 == 29) || (%1 == 30)
%else
    push 0
%endif
    push %1
    jmp isr_common
%endmacro

%assign v 0
%rep 256
    STUB v
%assign v v+1
%endrep

isr_common:
    test byte [rsp + 24], 3      ; from ring 3 (the CS the CPU pushed, above vector and error code)?
    jz .from_kernel
    swapgs                       ; kernel GS: this CPU's PerCpu block (user.asm)
.from_kernel:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    cld
    mov r12, rsp                 ; r12 = frame (callee-saved across the call)
    and rsp, -16
    sub rsp, 512
    fxsave64 [rsp]
    mov rdi, r12
    call KInterruptDispatch
    fxrstor64 [rsp]
    mov rsp, r12
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                  ; vector and error code
    test byte [rsp + 8], 3       ; back to ring 3?
    jz .to_kernel
    swapgs
.to_kernel:
    iretq

section .rodata
align 8
global k_isr_stubs
k_isr_stubs:
%assign v 0
%rep 256
    dq isr_stub_ %+ v
%assign v v+1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits

section .text
global k_isr_stubs_address
k_isr_stubs_address:
    lea rax, [k_isr_stubs]
    ret
