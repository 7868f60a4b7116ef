; exit42.asm -- exits with status 42 through exit (not exit_group), after checking argv: argc 3, argv[2] = "two".
%include "linux.inc"
section .text
global _start
_start:
    mov rax, [rsp]               ; argc
    cmp rax, 3
    expect je, bad_argc
    mov rsi, [rsp + 24]          ; argv[2]
    cmp dword [rsi], 0x006F7774  ; "two\0"
    expect je, bad_argv
    mov eax, SYS_exit
    mov edi, 42
    syscall
section .rodata
message bad_argc, "FAIL argc"
message bad_argv, "FAIL argv"
