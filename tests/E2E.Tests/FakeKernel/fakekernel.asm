; fakekernel.asm -- a stand-in guest for the harness tests: speaks the kernel's serial contract, nothing more.
;
; 32-bit, multiboot1 (qemu -kernel) and multiboot2 (GRUB). Reads the kernel options from fw_cfg opt/vmk/kernelopt,
; then: `selftest` -> prints "3 passed, 0 failed" and exits via isa-debug-exit 0x10; `bogusopt` -> a WARNING line;
; prints "Boot complete tsc=0x...", then a shell: echo, `[root@localhost:~] ` prompt, commands uname -a, poweroff
; (ACPI S5), crash (@BlueScreen: lines; debug-exit 0x12 with panic=exit), anything else -> "sh: X: not found".
; Before the prompt it prints one line per boot module, multiboot1 or multiboot2, as the loader handed it over:
; "module: 'COMMAND LINE' size=0xSIZE head=0xFIRST4BYTES" (head in byte order: 1F8B08.. for gzip), so the tests can
; check what reaches a kernel from qemu -initrd and from GRUB's module2 lines.
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
mb_magic: resd 1
mb_info: resd 1
line: resb 128

section .text
global _start
_start:
    mov esp, stack_top
    mov [mb_magic], eax
    mov [mb_info], ebx
    cld
    call read_kernelopt
    mov esi, s_banner
    call puts
    mov esi, opts
    call puts
    mov esi, s_crlf
    call puts
    call print_modules

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

; One line per boot module: multiboot1 (flags bit 3: count at +20, list at +24, 16 bytes each: start, end, string)
; or multiboot2 (tags from info+8, 8-aligned; type 3: start +8, end +12, string +16; type 0 ends).
print_modules:
    mov eax, [mb_magic]
    cmp eax, 0x2BADB002
    je .mb1
    cmp eax, 0x36D76289
    je .mb2
    ret
.mb1:
    mov ebx, [mb_info]
    test dword [ebx], 8
    jz .ret
    mov ecx, [ebx + 20]
    mov ebx, [ebx + 24]
.mb1_next:
    jecxz .ret
    push ecx
    mov eax, [ebx]
    mov edx, [ebx + 4]
    mov esi, [ebx + 8]
    call print_module
    pop ecx
    add ebx, 16
    dec ecx
    jmp .mb1_next
.mb2:
    mov ebx, [mb_info]
    add ebx, 8
.tag:
    mov eax, [ebx]
    test eax, eax
    jz .ret
    cmp eax, 3
    jne .skip
    mov eax, [ebx + 8]
    mov edx, [ebx + 12]
    lea esi, [ebx + 16]
    call print_module
.skip:
    mov eax, [ebx + 4]
    add eax, 7
    and eax, ~7
    add ebx, eax
    jmp .tag
.ret:
    ret

; eax = start, edx = end, esi = command line (0: none). Keeps ebx.
print_module:
    push ebx
    push eax
    push edx
    push esi
    mov esi, s_module
    call puts
    pop esi
    test esi, esi
    jz .nocmd
    call puts
.nocmd:
    mov esi, s_size
    call puts
    pop edx
    pop eax
    push eax
    sub edx, eax
    mov eax, edx
    call puthex
    mov esi, s_head
    call puts
    pop eax
    mov eax, [eax]
    bswap eax
    call puthex
    mov esi, s_crlf
    call puts
    pop ebx
    ret

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
s_module:   db "module: '", 0
s_size:     db "' size=0x", 0
s_head:     db " head=0x", 0
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
