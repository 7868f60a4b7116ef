; ap.asm -- application processor start-up. The trampoline is data here: the bootstrap CPU copies it to physical
; TRAMPOLINE (below 1 MiB, where a startup IPI can point: vector = page number) and fills its parameter block; an
; AP woken by INIT-SIPI-SIPI starts in real mode at TRAMPOLINE, goes to protected mode on the trampoline's own GDT,
; turns on PAE, the kernel's page tables (CR3 must be below 4 GiB: it is loaded in 32-bit mode), EFER as the
; bootstrap CPU has it (LME, NXE, ...) and paging, which puts it in long mode, and jumps to ap_entry64 in the
; kernel image with its stack and its startup block. The trampoline's page is identity-mapped meanwhile (the
; instruction after the one that turns paging on is fetched at its physical address).
default rel

%define TRAMPOLINE 0x7000
%define T(x) (TRAMPOLINE + (x) - ap_trampoline_start)

section .rodata
align 16
ap_trampoline_start:
bits 16
    cli
    cld
    xor ax, ax
    mov ds, ax
    o32 lgdt [T(ap_gdt_pointer)]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword 0x08:T(ap_protected)
bits 32
ap_protected:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)     ; PAE, OSFXSR, OSXMMEXCPT (as boot.asm)
    mov cr4, eax
    mov eax, [T(ap_cr3)]
    mov cr3, eax
    mov ecx, 0xC0000080                         ; EFER
    mov eax, [T(ap_efer)]
    xor edx, edx
    wrmsr
    mov eax, cr0
    and eax, ~(1 << 2)                          ; no x87 emulation
    or eax, (1 << 31) | (1 << 16) | (1 << 1)    ; PG, WP, MP
    mov cr0, eax
    jmp 0x18:T(ap_long)
bits 64
ap_long:
    mov rsp, [abs T(ap_stack)]
    mov rdi, [abs T(ap_block)]
    mov rax, [abs T(ap_entry)]
    jmp rax

align 8
ap_gdt:
    dq 0
    dq 0x00CF9A000000FFFF                       ; 0x08 code, 32-bit
    dq 0x00CF92000000FFFF                       ; 0x10 data
    dq 0x00AF9A000000FFFF                       ; 0x18 code, 64-bit
ap_gdt_pointer:
    dw 31
    dd T(ap_gdt)
align 8
ap_params:                                      ; filled in by the bootstrap CPU (ApStartup.cs, same order)
ap_cr3:   dq 0
ap_efer:  dq 0
ap_stack: dq 0
ap_block: dq 0
ap_entry: dq 0
ap_trampoline_end:

section .data
align 8
global k_ap_trampoline_layout
k_ap_trampoline_layout:                          ; start, end, parameter block (kernel addresses of the blob)
    dq ap_trampoline_start, ap_trampoline_end, ap_params, ap_entry64

section .text
bits 64
global k_ap_trampoline_layout_address
k_ap_trampoline_layout_address:
    lea rax, [k_ap_trampoline_layout]
    ret

; rdi = the AP's startup block: its GDT pointer first (the clone of the bootstrap CPU's GDT, with its own TSS).
extern KApMain
extern k_enable_avx
ap_entry64:
    lgdt [rdi]
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    push 0x08                                   ; reload CS from the new GDT
    lea rax, [.reloaded]
    push rax
    o64 retf
.reloaded:
    mov ax, 0x28
    ltr ax
    xor ebp, ebp                                ; terminates frame-pointer backtraces
    fninit
    mov r12, rdi
    call k_enable_avx                           ; AVX state, as boot.asm enables it on cpu0
    mov rdi, r12
    call KApMain                                ; never returns
.hang:
    cli
    hlt
    jmp .hang

global k_sgdt
k_sgdt:                                         ; stores this CPU's GDT pointer (10 bytes) at rdi
    sgdt [rdi]
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
