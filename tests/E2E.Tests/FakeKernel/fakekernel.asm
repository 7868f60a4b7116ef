; fakekernel.asm -- a stand-in guest for the harness tests: speaks the kernel's serial contract, nothing more.
;
; 32-bit, multiboot1 (qemu -kernel) and multiboot2 (GRUB). Reads the kernel options from fw_cfg opt/vmk/kernelopt,
; then: `selftest` -> prints "3 passed, 0 failed" and exits via isa-debug-exit 0x10; `bogusopt` -> a WARNING line;
; prints "Boot complete tsc=0x...", then a shell: echo, `[root@localhost:~] ` prompt, commands uname -a, poweroff
; (ACPI S5), crash (@BlueScreen: lines; debug-exit 0x12 with panic=exit), anything else -> "sh: X: not found".
; build: nasm -f elf32 fakekernel.asm -o fakekernel.o && ld -m elf_i386 -T fakekernel.ld -o fakekernel.elf fakekernel.o
bits 32
COM1 equ 0x3f8

section .multiboot
align 4
    dd 0x1BADB002, 0x00000000, -(0x1BADB002 + 0x00000000)
align 8
mb2_start:
    dd 0xE85250D6, 0, mb2_end - mb2_start, -(0xE85250D6 + 0 + (mb2_end - mb2_start))
    dw 0, 0
    dd 8
mb2_end:

section .bss
align 16
stack: resb 8192
stack_top:
opts: resb 512
line: resb 128

section .text
global _start
_start:
    mov esp, stack_top
    cld
    call read_kernelopt
    mov esi, s_banner
    call puts
    mov esi, opts
    call puts
    mov esi, s_crlf
    call puts

    mov edi, k_bogus
    call has_opt
    jz .nobogus
    mov esi, s_warn
    call puts
.nobogus:
    mov edi, k_selftest
    call has_opt
    jz .noself
    mov esi, s_selftest
    call puts
    mov al, 0x10
    out 0xf4, al
.noself:
    mov esi, s_bootc
    call puts
    rdtsc
    mov ebx, eax
    mov eax, edx
    call puthex
    mov eax, ebx
    call puthex
    mov esi, s_crlf
    call puts

shell:
    mov esi, s_prompt
    call puts
    mov edi, line
.read:
    call getc
    cmp al, 13
    je .enter
    cmp al, 10
    je .enter
    cmp edi, line + 120
    jae .read
    stosb
    call putc
    jmp .read
.enter:
    mov byte [edi], 0
    mov esi, s_crlf
    call puts
    cmp byte [line], 0
    je shell
    mov esi, line
    mov edi, c_uname
    call streq
    je .uname
    mov esi, line
    mov edi, c_poweroff
    call streq
    je .poweroff
    mov esi, line
    mov edi, c_crash
    call streq
    je .crash
    mov esi, s_sh
    call puts
    mov esi, line
    call puts
    mov esi, s_notfound
    call puts
    jmp shell
.uname:
    mov esi, s_uname
    call puts
    jmp shell
.poweroff:
    mov ax, 0x2000
    mov dx, 0x604          ; q35 (OVMF) PM1a_CNT
    out dx, ax
    mov dx, 0xb004         ; i440fx/PIIX4 (SeaBIOS) PM1a_CNT
    out dx, ax
    jmp halt
.crash:
    mov esi, s_panic
    call puts
    mov edi, k_panicexit
    call has_opt
    jz halt
    mov al, 0x12
    out 0xf4, al
halt:
    cli
    hlt
    jmp halt

; fw_cfg: select 0x19 (file directory), find opt/vmk/kernelopt, copy its bytes to opts (NUL-terminated).
read_kernelopt:
    mov byte [opts], 0
    mov dx, 0x510
    mov ax, 0x19
    out dx, ax
    call fw_be32
    mov ecx, eax
.entry:
    test ecx, ecx
    jz .done
    dec ecx
    call fw_be32
    mov ebx, eax            ; size
    call fw_be16
    push eax                ; select
    call fw_be16            ; reserved
    mov edi, line
    push ecx
    mov ecx, 56
    mov dx, 0x511
.name:
    in al, dx
    stosb
    loop .name
    pop ecx
    mov esi, line
    mov edi, f_kernelopt
    call streq
    pop eax
    jne .entry
    mov dx, 0x510
    out dx, ax
    mov ecx, ebx
    cmp ecx, 500
    jbe .sized
    mov ecx, 500
.sized:
    mov edi, opts
    mov dx, 0x511
    jecxz .term
.copy:
    in al, dx
    stosb
    loop .copy
.term:
    mov byte [edi], 0
.done:
    ret

fw_be32:
    call fw_be16
    shl eax, 16
    push eax
    call fw_be16
    pop edx
    or eax, edx
    ret
fw_be16:
    push edx
    mov dx, 0x511
    xor eax, eax
    in al, dx
    shl eax, 8
    in al, dx
    pop edx
    ret

; ZF=0 (nz) when the NUL-terminated word at edi occurs in opts.
has_opt:
    mov esi, opts
.start:
    cmp byte [esi], 0
    je .no
    push esi
    push edi
.cmp:
    mov al, [edi]
    test al, al
    jz .yes
    cmp al, [esi]
    jne .next
    inc esi
    inc edi
    jmp .cmp
.next:
    pop edi
    pop esi
    inc esi
    jmp .start
.yes:
    pop edi
    pop esi
    or eax, 1
    ret
.no:
    xor eax, eax
    ret

; ZF=1 when the strings at esi and edi are equal.
streq:
    mov al, [esi]
    cmp al, [edi]
    jne .ret
    test al, al
    jz .ret
    inc esi
    inc edi
    jmp streq
.ret:
    ret

puts:
    lodsb
    test al, al
    jz .ret
    call putc
    jmp puts
.ret:
    ret

putc:
    push edx
    push eax
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    pop eax
    mov dx, COM1
    out dx, al
    pop edx
    ret

getc:
    push edx
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 1
    jz .wait
    mov dx, COM1
    in al, dx
    pop edx
    ret

puthex:
    mov ecx, 8
.digit:
    rol eax, 4
    push eax
    and al, 0x0f
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 7
.out:
    call putc
    pop eax
    loop .digit
    ret

section .rodata
s_banner:   db "vmk fake kernel; kernelopt: ", 0
s_crlf:     db 13, 10, 0
s_warn:     db "WARNING: unknown kernel option 'bogusopt=1' ignored", 13, 10, 0
s_selftest: db "3 passed, 0 failed", 13, 10, 0
s_bootc:    db "Boot complete tsc=0x", 0
s_prompt:   db "[root@localhost:~] ", 0
s_sh:       db "sh: ", 0
s_notfound: db ": not found", 13, 10, 0
s_uname:    db "VMkernel localhost 0.1-fake x86_64", 13, 10, 0
s_panic:    db "@BlueScreen: PANIC: fake crash", 13, 10
            db "@BlueScreen: backtrace:", 13, 10
            db "@BlueScreen: #0 0x00101234 Kernel_Shell_CrashCommand_Run", 13, 10, 0
c_uname:    db "uname -a", 0
c_poweroff: db "poweroff", 0
c_crash:    db "crash", 0
k_bogus:    db "bogusopt", 0
k_selftest: db "selftest", 0
k_panicexit: db "panic=exit", 0
f_kernelopt: db "opt/vmk/kernelopt", 0
