; kernelread.asm -- reads kernel memory: the image (top 2 GiB) or, with any argument, the direct map of physical
; memory. Kernel pages are not user-accessible, so this faults and the program dies.
%include "linux.inc"
section .text
global _start
_start:
    mov rax, 0xFFFFFFFF80100000  ; the kernel image (multiboot header)
    cmp qword [rsp], 1
    je .read
    mov rax, 0xFFFF800000100000  ; physical 1 MiB through the direct map
.read:
    mov rbx, [rax]
    print leaked, leaked_len
    exit 0
section .rodata
message leaked, "FAIL read kernel memory"
