; user.asm -- the ring 3 boundary: the `syscall` entry, the first entry into user mode, and the user-memory copy
; whose page faults are recovered (a bad user pointer is -EFAULT, never a kernel fault).
;
; GS: while the CPU is in the kernel, GS base points at this CPU's PerCpu block (Kernel/Core/Arch/PerCpu.cs, whose
; offsets are the PERCPU_* constants below); in user mode it holds the user's value. `swapgs` exchanges the two at
; every crossing: here for syscalls and the first entry, in isr.asm for interrupts and exceptions from ring 3.
default rel
bits 64

PERCPU_KERNEL_STACK equ 16       ; PerCpu.SyscallStackTopOffset: top of the running world's kernel stack
PERCPU_USER_RSP     equ 24       ; PerCpu.UserRspScratchOffset: the user's rsp while the syscall entry switches stacks
USER_CS             equ 0x23     ; GDT 0x20 | RPL 3 (64-bit user code)
USER_SS             equ 0x1B     ; GDT 0x18 | RPL 3

extern KSyscallDispatch

section .text
; The CPU arrives from ring 3 with rcx = user rip, r11 = user rflags, interrupts masked (SFMASK), on the user's
; stack. Builds a SyscallFrame (Kernel/User/SyscallFrame.cs, in push order reversed) on the world's kernel stack,
; saves the user's SSE state (the kernel's C# uses XMM registers; Linux preserves them across syscalls), and calls
; KSyscallDispatch(frame, fxsave area) with interrupts on (the area is where a signal frame's FPU state is taken
; from and rt_sigreturn puts it back). The return value goes back in rax. When the dispatcher sets the frame's
; number slot to SYSCALL_FULL_RESTORE (rt_sigreturn to a point a timer interrupted: rcx and r11 are live there),
; the way out is iretq with rcx and r11 from the frame's last two slots instead of sysret.
SYSCALL_FULL_RESTORE equ -1

global k_syscall_entry
k_syscall_entry:
    swapgs
    mov [gs:PERCPU_USER_RSP], rsp
    mov rsp, [gs:PERCPU_KERNEL_STACK]
    push 0                            ; r11 and rcx for a full restore (SyscallFrame.R11, .Rcx)
    push 0
    push qword [gs:PERCPU_USER_RSP]   ; user rsp
    push r11                          ; user rflags
    push rcx                          ; user rip
    push rax                          ; syscall number
    push rdi                          ; arguments 1-6
    push rsi
    push rdx
    push r10
    push r8
    push r9
    push rbx                          ; callee-saved: kept so the frame is the whole user state
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov r12, rsp                      ; r12 = frame
    sub rsp, 512
    and rsp, -16
    fxsave64 [rsp]
    xor ebp, ebp                      ; backtraces end here
    sti
    mov rdi, r12
    mov rsi, rsp                      ; the user's fxsave area
    call KSyscallDispatch             ; rax = result
    cli
    fxrstor64 [rsp]
    mov rsp, r12
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    pop r9
    pop r8
    pop r10
    pop rdx
    pop rsi
    pop rdi
    add rsp, 8                        ; the number (rax holds the result)
    cmp qword [rsp - 8], SYSCALL_FULL_RESTORE
    je .full_restore
    pop rcx                           ; user rip (the dispatcher checked it is canonical, in the lower half)
    pop r11                           ; user rflags
    pop rsp                           ; user rsp
    swapgs
    o64 sysret
.full_restore:
    ; [rsp] rip, [rsp+8] rflags, [rsp+16] user rsp, [rsp+24] rcx, [rsp+32] r11: an iretq frame below them. A push
    ; with an rsp-based operand reads its address before rsp moves.
    push USER_SS
    push qword [rsp + 8 + 16]         ; user rsp
    push qword [rsp + 16 + 8]         ; rflags (the dispatcher kept only the arithmetic flags and DF, with IF)
    push USER_CS
    push qword [rsp + 32]             ; rip
    mov rcx, [rsp + 40 + 24]
    mov r11, [rsp + 40 + 32]
    swapgs
    iretq

; k_enter_user(rip, rsp, arg0): leaves the kernel for ring 3 the first time, with every other register zero
; and interrupts on. Never returns: the world comes back through syscalls and interrupts.
global k_enter_user
k_enter_user:
    cli
    push USER_SS
    push rsi                          ; user rsp
    push 0x202                        ; rflags: IF
    push USER_CS
    push rdi                          ; user rip
    mov rdi, rdx
    xor eax, eax
    xor ebx, ebx
    xor ecx, ecx
    xor edx, edx
    xor esi, esi
    xor ebp, ebp
    xor r8d, r8d
    xor r9d, r9d
    xor r10d, r10d
    xor r11d, r11d
    xor r12d, r12d
    xor r13d, r13d
    xor r14d, r14d
    xor r15d, r15d
    swapgs
    iretq

; k_resume_user(frame): enters ring 3 with the registers of a SyscallFrame (Kernel/User/SyscallFrame.cs) and rax 0:
; a forked child continues where its parent's fork/clone/vfork returned. rcx and r11 hold the user rip and rflags,
; as sysret would leave them; rflags keeps only the arithmetic flags and DF, with IF on. Never returns.
global k_resume_user
k_resume_user:
    cli
    push USER_SS
    push qword [rdi + 15*8]           ; Rsp
    mov r11, [rdi + 14*8]             ; Rflags
    and r11, 0xCD5                    ; CF PF AF ZF SF DF OF
    or r11, 0x202                     ; IF
    push r11
    push USER_CS
    mov rcx, [rdi + 13*8]             ; Rip
    push rcx
    mov r15, [rdi + 0*8]
    mov r14, [rdi + 1*8]
    mov r13, [rdi + 2*8]
    mov r12, [rdi + 3*8]
    mov rbp, [rdi + 4*8]
    mov rbx, [rdi + 5*8]
    mov r9,  [rdi + 6*8]
    mov r8,  [rdi + 7*8]
    mov r10, [rdi + 8*8]
    mov rdx, [rdi + 9*8]
    mov rsi, [rdi + 10*8]
    mov rdi, [rdi + 11*8]
    xor eax, eax
    swapgs
    iretq

; k_user_copy(dst, src, len) -> 0, or 1 when a page fault hit the copy (Exceptions redirects a #PF at
; k_user_copy_fault_ip to k_user_copy_recover). With SMAP on, the caller brackets it with k_stac/k_clac.
global k_user_copy, k_user_copy_fault_ip, k_user_copy_recover
k_user_copy:
    mov rcx, rdx
k_user_copy_fault_ip:
    rep movsb
    xor eax, eax
    ret
k_user_copy_recover:
    mov eax, 1
    ret

global k_user_copy_fault_ip_address, k_user_copy_recover_address, k_syscall_entry_address
k_user_copy_fault_ip_address:
    lea rax, [k_user_copy_fault_ip]
    ret
k_user_copy_recover_address:
    lea rax, [k_user_copy_recover]
    ret
k_syscall_entry_address:
    lea rax, [k_syscall_entry]
    ret

; SMAP: kernel access to user pages is allowed only between stac and clac.
global k_stac, k_clac
k_stac:
    stac
    ret
k_clac:
    clac
    ret
section .note.GNU-stack noalloc noexec nowrite progbits
