; cpu.asm -- the CPU instructions C# cannot express, as tiny SysV functions that C# calls through [RuntimeImport]
; (direct calls, no marshalling): port I/O, control registers, MSRs, CPUID, TSC, string moves, frame walking,
; and the two ILC helpers with special calling conventions.
default rel
bits 64
section .text

%macro EXPORT 1
global %1
%1:
%endmacro

EXPORT k_outb
    mov edx, edi
    mov eax, esi
    out dx, al
    ret
EXPORT k_inb
    mov edx, edi
    xor eax, eax
    in al, dx
    ret
EXPORT k_outw
    mov edx, edi
    mov eax, esi
    out dx, ax
    ret
EXPORT k_inw
    mov edx, edi
    xor eax, eax
    in ax, dx
    ret
EXPORT k_outd
    mov edx, edi
    mov eax, esi
    out dx, eax
    ret
EXPORT k_ind
    mov edx, edi
    in eax, dx
    ret
EXPORT k_cli
    cli
    ret
EXPORT k_sti
    sti
    ret
EXPORT k_hlt
    hlt
    ret
EXPORT k_sti_hlt                 ; atomically enable interrupts and wait (no lost wake-up between the two)
    sti
    hlt
    ret
EXPORT k_pause
    pause
    ret
EXPORT k_halt_forever
    cli
.1: hlt
    jmp .1
EXPORT k_read_rflags
    pushfq
    pop rax
    ret
EXPORT k_write_rflags
    push rdi
    popfq
    ret
EXPORT k_cpu_index               ; N in cpuN: the per-CPU block's index field (PerCpu.IndexOffset), through GS
    mov eax, dword [gs:8]
    ret
EXPORT k_irq_save                ; returns the flags, then disables interrupts
    pushfq
    pop rax
    cli
    ret
EXPORT k_lidt
    lidt [rdi]
    ret
EXPORT k_read_cr0
    mov rax, cr0
    ret
EXPORT k_write_cr0
    mov cr0, rdi
    ret
EXPORT k_read_cr2
    mov rax, cr2
    ret
EXPORT k_read_cr3
    mov rax, cr3
    ret
EXPORT k_write_cr3
    mov cr3, rdi
    ret
EXPORT k_read_cr4
    mov rax, cr4
    ret
EXPORT k_write_cr4
    mov cr4, rdi
    ret
EXPORT k_invlpg
    invlpg [rdi]
    ret
EXPORT k_rdmsr                   ; rdi = msr
    mov ecx, edi
    rdmsr
    shl rdx, 32
    or rax, rdx
    ret
EXPORT k_wrmsr                   ; rdi = msr, rsi = value
    mov ecx, edi
    mov eax, esi
    mov rdx, rsi
    shr rdx, 32
    wrmsr
    ret
EXPORT k_cpuid                   ; rdi = leaf, rsi = subleaf, rdx = uint[4] out (eax, ebx, ecx, edx)
    push rbx
    mov r8, rdx
    mov eax, edi
    mov ecx, esi
    cpuid
    mov [r8], eax
    mov [r8 + 4], ebx
    mov [r8 + 8], ecx
    mov [r8 + 12], edx
    pop rbx
    ret
EXPORT k_rdtsc
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret
EXPORT k_read_rbp                ; the caller's frame pointer (this function makes no frame)
    mov rax, rbp
    ret
EXPORT k_read_rsp
    lea rax, [rsp + 8]
    ret
EXPORT k_int3
    int3
    ret
EXPORT k_ud2
    ud2
    ret
EXPORT k_triple_fault            ; last-resort reset: load an empty IDT and fault
    lidt [empty_idt]
    int3
    jmp k_triple_fault

EXPORT k_memmove                 ; rdi = dst, rsi = src, rdx = count (overlap-safe)
    mov rcx, rdx
    cmp rdi, rsi
    je .done
    jb .forward
    lea rax, [rsi + rdx]
    cmp rdi, rax
    jae .forward
    ; backward copy for overlapping dst > src
    lea rsi, [rsi + rdx - 1]
    lea rdi, [rdi + rdx - 1]
    std
    rep movsb
    cld
    ret
.forward:
    ; Eight bytes per iteration, then the tail. Safe for an overlap with dst < src too: each quadword is read
    ; before the write that could reach it (dst + i + 7 < src + i + 8).
    shr rcx, 3
    rep movsq
    mov rcx, rdx
    and rcx, 7
    rep movsb
.done:
    ret
EXPORT k_memset                  ; rdi = dst, esi = byte, rdx = count
    ; The byte broadcast to all eight lanes, eight bytes per iteration, then the tail: an eighth of the
    ; iterations of a byte loop (what -icount counts, and what TCG emulates one by one).
    movzx eax, sil
    mov rcx, 0x0101010101010101
    imul rax, rcx
    mov rcx, rdx
    shr rcx, 3
    rep stosq
    mov rcx, rdx
    and rcx, 7
    rep stosb
    ret

; ILC helper: *rdi = *rsi; rdi += 8; rsi += 8 (no collector: no barrier)
EXPORT RhpByRefAssignRef
    movsq
    ret

; ILC's interface call sequence is `lea r11, [cell]; call [r11]`; cells start out pointing here. Resolve in C#
; (keeping every argument register, integer and vector) and tail-jump to the implementation.
extern KResolveInterfaceCall
EXPORT RhpInitialDynamicInterfaceDispatch
    push rbp
    mov rbp, rsp
    push rdi
    push rsi
    push rdx
    push rcx
    push r8
    push r9
    sub rsp, 128
    movdqu [rsp + 0], xmm0
    movdqu [rsp + 16], xmm1
    movdqu [rsp + 32], xmm2
    movdqu [rsp + 48], xmm3
    movdqu [rsp + 64], xmm4
    movdqu [rsp + 80], xmm5
    movdqu [rsp + 96], xmm6
    movdqu [rsp + 112], xmm7
    mov rsi, r11
    call KResolveInterfaceCall
    movdqu xmm0, [rsp + 0]
    movdqu xmm1, [rsp + 16]
    movdqu xmm2, [rsp + 32]
    movdqu xmm3, [rsp + 48]
    movdqu xmm4, [rsp + 64]
    movdqu xmm5, [rsp + 80]
    movdqu xmm6, [rsp + 96]
    movdqu xmm7, [rsp + 112]
    add rsp, 128
    pop r9
    pop r8
    pop rcx
    pop rdx
    pop rsi
    pop rdi
    pop rbp
    jmp rax

section .data
align 8
empty_idt:
    dw 0
    dq 0

section .note.GNU-stack noalloc noexec nowrite progbits

; ---------------------------------------------------------------------------------------------- world switch
; k_switch_world(ulong* saveRsp, ulong newRsp, void* saveFpu, void* loadFpu)
; Saves the callee-saved registers and the FPU/SSE state of the running world on its own stack and FPU area,
; stores its stack pointer, and resumes the other world where it last called k_switch_world (or, for a new
; world, at k_world_trampoline). Interrupts are off across the switch; each world restores its own flags.
section .text
global k_switch_world
k_switch_world:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    fxsave64 [rdx]
    mov [rdi], rsp
    mov rsp, rsi
    fxrstor64 [rcx]
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; First code of every new world: the initial stack built by C# "returns" here. Align the stack and enter C#;
; KWorldStart runs the world's body and never returns.
extern KWorldStart
global k_world_trampoline
k_world_trampoline:
    xor ebp, ebp                 ; ends backtraces at the world's first frame
    and rsp, -16
    call KWorldStart
    ud2

global k_world_trampoline_address
k_world_trampoline_address:
    lea rax, [k_world_trampoline]
    ret

global k_fxsave
k_fxsave:
    fxsave64 [rdi]
    ret
section .note.GNU-stack noalloc noexec nowrite progbits

section .text
; Atomic read-modify-write for System.Threading.Interlocked (SMP: the lock prefix makes each one indivisible across
; CPUs, and a full barrier). Pointer in rdi, operands in esi/edx (rsi/rdx for 64 bits); the old value is returned.
EXPORT k_atomic_xadd32
    mov eax, esi
    lock xadd [rdi], eax
    ret
EXPORT k_atomic_xadd64
    mov rax, rsi
    lock xadd [rdi], rax
    ret
EXPORT k_atomic_xchg32
    mov eax, esi
    xchg [rdi], eax
    ret
EXPORT k_atomic_xchg64
    mov rax, rsi
    xchg [rdi], rax
    ret
EXPORT k_atomic_cmpxchg32               ; (location, value, comparand)
    mov eax, edx
    lock cmpxchg [rdi], esi
    ret
EXPORT k_atomic_cmpxchg64
    mov rax, rdx
    lock cmpxchg [rdi], rsi
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
