; boot.asm -- multiboot1/multiboot2 entry: 32-bit protected mode to long mode, then into C# (KernelEntry).
;
; What runs here is only what C# cannot do: the multiboot headers, the switch to 64-bit mode, the jump to the
; higher half, the GDT/TSS, SSE enablement, and a stack. The C# entry point builds the real page tables, the heap
; and everything else. No managed code runs before the stack, paging and SSE are ready.
;
; The image is linked at KERNEL_VMA + 1 MiB (the top 2 GiB, so 32-bit sign-extended absolute addresses reach it)
; and loaded at 1 MiB. The 32-bit code below runs at the physical address, so every absolute address it uses is
; PHYS(symbol). Its temporary tables map the first 4 GiB three times: identity (only until the jump to the higher
; half; C#'s tables leave the lower half empty), at DIRECT_MAP_BASE (Kernel.Memory.DirectMap, which the C# code
; uses before its own tables exist) and the first GiB at KERNEL_VMA (the image).
default rel
bits 32

KERNEL_VMA      equ 0xFFFFFFFF80000000      ; Kernel.Memory.KernelImage.VirtualBase; linker.ld's KERNEL_VMA
DIRECT_MAP_PML4 equ 256                     ; 0xFFFF800000000000: Kernel.Memory.DirectMap.Base
%define PHYS(x) ((x) - KERNEL_VMA)

extern KernelEntry
extern __image_start, __load_end, __bss_start, __bss_end

; ---------------------------------------------------------------------------------------------- headers
section .multiboot progbits alloc noexec nowrite align=8
MB1_MAGIC equ 0x1BADB002
MB1_FLAGS equ (1 << 0) | (1 << 1) | (1 << 16)   ; page-aligned modules, memory info, a.out kludge addresses
align 4
mb1_header:
    dd MB1_MAGIC
    dd MB1_FLAGS
    dd -(MB1_MAGIC + MB1_FLAGS)
    dd PHYS(mb1_header)          ; header_addr (physical: where the loader puts it)
    dd PHYS(__image_start)       ; load_addr
    dd PHYS(__load_end)          ; load_end_addr
    dd PHYS(__bss_end)           ; bss_end_addr
    dd PHYS(_start32)            ; entry_addr

MB2_MAGIC equ 0xE85250D6
align 8
mb2_header:
    dd MB2_MAGIC
    dd 0                                         ; architecture: i386 protected mode
    dd mb2_header_end - mb2_header
    dd -(MB2_MAGIC + (mb2_header_end - mb2_header))
    align 8
    ; framebuffer request (optional): under UEFI there is no text mode, so take what GOP gives.
    ; grub.cfg keeps VGA text mode on BIOS machines with gfxpayload=text.
    dw 5, 1
    dd 20
    dd 0, 0, 32
    align 8
    ; page-align modules
    dw 6, 0
    dd 8
    align 8
    ; load addresses (the a.out kludge of multiboot1): GRUB's ELF path refuses an ELF64 entry above 4 GiB, and
    ; the image's virtual addresses are in the top 2 GiB, so the loader is told the physical layout instead.
    dw 2, 0
    dd 24
    dd PHYS(mb2_header)          ; header_addr
    dd PHYS(__image_start)       ; load_addr
    dd PHYS(__load_end)          ; load_end_addr
    dd PHYS(__bss_end)           ; bss_end_addr
    align 8
    dw 3, 0                      ; entry address
    dd 12
    dd PHYS(_start32)
    align 8
    dw 0, 0                                      ; end tag
    dd 8
mb2_header_end:

; ---------------------------------------------------------------------------------------------- 32-bit entry
section .boot progbits alloc exec nowrite align=16
global _start32
_start32:
    cli
    cld
    mov esi, eax                 ; multiboot magic
    mov edi, ebx                 ; multiboot information

    ; .bss holds the page tables and stacks: zero it (multiboot1 loaders do, multiboot2 need not)
    mov edx, edi
    mov edi, PHYS(__bss_start)
    mov ecx, PHYS(__bss_end)
    sub ecx, edi
    xor eax, eax
    rep stosb
    mov [PHYS(boot_magic)], esi
    mov [PHYS(boot_info)], edx
    mov esp, PHYS(boot_stack_top)

    ; long mode needs CPUID leaf 0x80000001 with LM; without it there is nothing we can run
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    bt edx, 29
    jnc .no_long_mode

    ; temporary map of 0..4 GiB with 2 MiB pages: identity (PML4 0), the direct map (PML4 256), and the image's
    ; first GiB at KERNEL_VMA (PML4 511, PDPT 510). C# replaces all of it with the real tables.
    mov eax, PHYS(boot_pdpt)
    or eax, 3
    mov [PHYS(boot_pml4)], eax
    mov [PHYS(boot_pml4) + DIRECT_MAP_PML4 * 8], eax
    mov eax, PHYS(boot_pdpt_high)
    or eax, 3
    mov [PHYS(boot_pml4) + 511 * 8], eax
    mov eax, PHYS(boot_pd)
    or eax, 3
    mov [PHYS(boot_pdpt_high) + 510 * 8], eax
    xor ecx, ecx
.pdpt_loop:
    mov [PHYS(boot_pdpt) + ecx*8], eax
    add eax, 4096
    inc ecx
    cmp ecx, 4
    jne .pdpt_loop
    xor ecx, ecx
.pd_loop:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83                 ; present, writable, 2 MiB page
    mov [PHYS(boot_pd) + ecx*8], eax
    mov eax, ecx
    shr eax, 11
    mov [PHYS(boot_pd) + ecx*8 + 4], eax
    inc ecx
    cmp ecx, 2048
    jne .pd_loop

    mov eax, PHYS(boot_pml4)
    mov cr3, eax
    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)    ; PAE, OSFXSR, OSXMMEXCPT
    mov cr4, eax
    mov ecx, 0xC0000080                         ; EFER
    rdmsr
    or eax, (1 << 8)                            ; LME
    wrmsr
    mov eax, cr0
    and eax, ~(1 << 2)                          ; no x87 emulation
    or eax, (1 << 31) | (1 << 16) | (1 << 1)    ; PG, WP, MP
    mov cr0, eax
    lgdt [PHYS(gdt_pointer32)]
    jmp 0x08:PHYS(long_mode_low)

.no_long_mode:
    ; say so on COM1 and stop
    mov esi, PHYS(no_long_mode_message)
.print:
    lodsb
    test al, al
    jz .stop
    mov dx, 0x3F8
    out dx, al
    jmp .print
.stop:
    hlt
    jmp .stop

no_long_mode_message: db "vmk: this CPU has no 64-bit long mode; cannot boot", 13, 10, 0

; Still at the physical address (identity map): jump to the image's linked address.
bits 64
long_mode_low:
    mov rax, long_mode_entry
    jmp rax

; ---------------------------------------------------------------------------------------------- 64-bit entry
section .text
bits 64
long_mode_entry:
    lgdt [gdt_pointer]           ; the GDT again, at its higher-half address
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    xor ebp, ebp                 ; terminates frame-pointer backtraces
    fninit

    ; TSS descriptor at selector 0x28; IST1 = double-fault stack, IST2 = NMI stack
    lea rax, [tss]
    lea rdx, [df_stack_top]
    mov [tss + 0x24], rdx
    lea rdx, [nmi_stack_top]
    mov [tss + 0x2C], rdx
    mov word [tss + 0x66], 104   ; no I/O permission bitmap
    mov rcx, rax
    and ecx, 0xFFFF
    shl rcx, 16
    or rcx, 103
    mov rdx, rax
    shr rdx, 16
    and edx, 0xFF
    shl rdx, 32
    or rcx, rdx
    mov rdx, 0x89
    shl rdx, 40
    or rcx, rdx
    mov rdx, rax
    shr rdx, 24
    and edx, 0xFF
    shl rdx, 56
    or rcx, rdx
    mov [gdt + 0x28], rcx
    mov rdx, rax
    shr rdx, 32
    mov [gdt + 0x30], rdx
    mov ax, 0x28
    ltr ax

    call k_enable_avx

    mov edi, [boot_magic]
    mov esi, [boot_info]
    call KernelEntry             ; never returns
.hang:
    cli
    hlt
    jmp .hang

; AVX state if the CPU has XSAVE and AVX: the compiler may emit VEX-encoded instructions. Every CPU runs it once
; (this boot path, and ap.asm for each application processor). Clobbers rax, rcx, rdx.
global k_enable_avx
k_enable_avx:
    push rbx                     ; cpuid writes ebx
    mov eax, 1
    cpuid
    pop rbx
    bt ecx, 26
    jnc .done
    bt ecx, 28
    jnc .done
    mov rax, cr4
    or rax, (1 << 18)            ; OSXSAVE
    mov cr4, rax
    xor ecx, ecx
    mov eax, 7                   ; x87 | SSE | AVX
    xor edx, edx
    xsetbv
.done:
    ret

; ---------------------------------------------------------------------------------------------- data
section .data
align 16
gdt:
    dq 0
    dq 0x00AF9A000000FFFF        ; 0x08 kernel code, 64-bit
    dq 0x00CF92000000FFFF        ; 0x10 kernel data
    dq 0x00CFF2000000FFFF        ; 0x18 user data (for userworlds)
    dq 0x00AFFA000000FFFF        ; 0x20 user code, 64-bit
    dq 0, 0                      ; 0x28 TSS (filled in at boot)
gdt_end:
gdt_pointer:
    dw gdt_end - gdt - 1
    dq gdt
gdt_pointer32:                   ; the same GDT at its physical address, for the 32-bit lgdt
    dw gdt_end - gdt - 1
    dd PHYS(gdt)

global __security_cookie         ; the JIT's stack-buffer-overrun cookie
__security_cookie: dq 0x2B992DDFA232D0C5

section .bss
alignb 4096
boot_pml4: resb 4096
boot_pdpt: resb 4096
boot_pdpt_high: resb 4096
boot_pd:   resb 4096 * 4
; Each stack has an unmapped guard page below it (C# leaves these pages out of the kernel's page tables).
global boot_stack_guard, boot_stack_top, df_stack_guard, df_stack_top, nmi_stack_guard, nmi_stack_top
boot_stack_guard: resb 4096
boot_stack_bottom: resb 128 * 1024
boot_stack_top:
df_stack_guard: resb 4096
    resb 16 * 1024
df_stack_top:
nmi_stack_guard: resb 4096
    resb 16 * 1024
nmi_stack_top:
global tss
tss: resb 104
alignb 8
global boot_magic, boot_info
boot_magic: resd 1
boot_info:  resd 1

section .note.GNU-stack noalloc noexec nowrite progbits

; ---------------------------------------------------------------------------------------------- image layout
; Addresses the linker decides, in the order of Kernel.Boot.ImageLayout's fields.
extern __text_start, __text_end, __rodata_start, __rodata_end, __data_start, __image_end
extern __ksyms_start, __ksyms_end, __modules_a, __modules_z, __managedcode_a, __managedcode_z
extern __eh_frame_hdr_start, __eh_frame_hdr_end
section .data
align 8
global k_image_layout
k_image_layout:
    dq __image_start, __image_end
    dq __text_start, __text_end
    dq __rodata_start, __rodata_end
    dq __data_start, __bss_start, __bss_end
    dq __ksyms_start, __ksyms_end
    dq __modules_a, __modules_z
    dq __managedcode_a, __managedcode_z
    dq boot_stack_guard, boot_stack_top
    dq df_stack_guard, df_stack_top
    dq nmi_stack_guard, nmi_stack_top
    dq tss
    dq __eh_frame_hdr_start, __eh_frame_hdr_end
section .note.GNU-stack noalloc noexec nowrite progbits
section .text
global k_image_layout_address
k_image_layout_address:
    lea rax, [k_image_layout]
    ret
section .note.GNU-stack noalloc noexec nowrite progbits
