; gc.asm -- what the garbage collector needs from assembly: the collecting code's callee-saved registers on its own
; stack, where the stack scan sees them.
;
; k_gc_spill_and_call(fn): pushes rbp, rbx, r12-r15 in k_switch_world's order, so the collecting world's stack
; looks exactly like a switched-out world's (from the pointer up: r15, r14, r13, r12, rbx, rbp, return address),
; calls fn(that pointer) and returns its int result. A reference that lives only in a callee-saved register of a
; caller is then a word of the scanned range. Caller-saved registers hold nothing live across this call.
default rel
bits 64
section .text

global k_gc_spill_and_call
k_gc_spill_and_call:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov rax, rdi
    mov rdi, rsp
    sub rsp, 8                   ; 16-byte alignment at the call (entry rsp was 8 mod 16, plus six pushes)
    call rax
    add rsp, 8
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; k_gc_test_hold_in_registers(encoded, key, fn) -- for the collector's self-test only: puts encoded ^ key (an
; object's address, which the caller holds only in that scrambled form) into rbx and r12-r15, clears the argument
; registers, calls fn() (which blocks the world) and returns the value rbx still holds. While fn runs, the object
; is referenced from callee-saved registers and nowhere else: from the save areas of fn's callees and of
; k_switch_world, which is what the test proves the collector scans.
global k_gc_test_hold_in_registers
k_gc_test_hold_in_registers:
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov rbx, rdi
    xor rbx, rsi
    mov r12, rbx
    mov r13, rbx
    mov r14, rbx
    mov r15, rbx
    mov rax, rdx
    xor edi, edi
    xor esi, esi
    xor edx, edx
    call rax                     ; entry rsp was 8 mod 16; five pushes make it 0 mod 16
    mov rax, rbx
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
