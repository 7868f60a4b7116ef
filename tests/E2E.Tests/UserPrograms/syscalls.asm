; syscalls.asm -- the first system calls, each checked: a bad pointer to write is -EFAULT (a null one, a kernel
; one, one that runs off the end of user memory), getpid/getppid, uname, clock_gettime, brk, anonymous mmap and
; munmap, arch_prctl(ARCH_SET_FS/GET_FS) with an FS-relative load, and an unknown number is -ENOSYS.
%include "linux.inc"
section .text
global _start
_start:
    ; write with bad pointers
    mov eax, SYS_write
    mov edi, 1
    mov esi, 16
    mov edx, 5
    syscall
    cmp rax, -EFAULT
    expect je, f_null
    mov eax, SYS_write
    mov edi, 1
    mov rsi, 0xFFFFFFFF80100000
    mov edx, 5
    syscall
    cmp rax, -EFAULT
    expect je, f_kernel
    mov eax, SYS_write
    mov edi, 1
    mov rsi, 0x00007FFFFFFFFFF0
    mov edx, 64
    syscall
    cmp rax, -EFAULT
    expect je, f_edge
    print efault_ok, efault_ok_len

    ; getpid, getppid
    mov eax, SYS_getpid
    syscall
    cmp rax, 0
    expect jg, f_pid
    mov eax, SYS_getppid
    syscall
    cmp rax, 0
    expect jg, f_ppid

    ; uname: sysname "VMkernel", machine "x86_64"
    mov eax, SYS_uname
    lea rdi, [rel uts]
    syscall
    test rax, rax
    expect jz, f_uname
    mov rax, 'VMkernel'
    cmp [rel uts], rax
    expect je, f_uname
    cmp dword [rel uts + 65 * 4], 'x86_'
    expect je, f_uname
    print uname_ok, uname_ok_len

    ; clock_gettime(CLOCK_MONOTONIC) twice: not going backwards
    mov eax, SYS_clock_gettime
    mov edi, 1
    lea rsi, [rel ts1]
    syscall
    test rax, rax
    expect jz, f_clock
    mov eax, SYS_clock_gettime
    mov edi, 1
    lea rsi, [rel ts2]
    syscall
    mov rax, [rel ts2]
    imul rax, rax, 1000000000
    add rax, [rel ts2 + 8]
    mov rbx, [rel ts1]
    imul rbx, rbx, 1000000000
    add rbx, [rel ts1 + 8]
    cmp rax, rbx
    expect jge, f_clock
    print clock_ok, clock_ok_len

    ; brk: grow by 64 KiB, write at the end
    mov eax, SYS_brk
    xor edi, edi
    syscall
    mov r12, rax                 ; current break
    lea rdi, [rax + 65536]
    mov eax, SYS_brk
    syscall
    lea rbx, [r12 + 65536]
    cmp rax, rbx
    expect je, f_brk
    mov qword [r12 + 65528], 0x1234
    cmp qword [r12 + 65528], 0x1234
    expect je, f_brk
    print brk_ok, brk_ok_len

    ; mmap 1 MiB anonymous, write both ends, munmap
    mov eax, SYS_mmap
    xor edi, edi
    mov esi, 1 << 20
    mov edx, 3                   ; PROT_READ | PROT_WRITE
    mov r10d, 0x22               ; MAP_PRIVATE | MAP_ANONYMOUS
    mov r8, -1
    xor r9d, r9d
    syscall
    test rax, rax
    expect jns, f_mmap
    mov r13, rax
    cmp qword [r13], 0           ; zeroed
    expect je, f_mmap
    mov qword [r13], 7
    mov qword [r13 + (1 << 20) - 8], 9
    mov eax, SYS_munmap
    mov rdi, r13
    mov esi, 1 << 20
    syscall
    test rax, rax
    expect jz, f_mmap
    print mmap_ok, mmap_ok_len

    ; arch_prctl: FS base = tls, then fs:[8] reads tls[1]
    mov eax, SYS_arch_prctl
    mov edi, 0x1002              ; ARCH_SET_FS
    lea rsi, [rel tls]
    syscall
    test rax, rax
    expect jz, f_fs
    mov rax, [fs:8]
    cmp rax, 0x5A5A
    expect je, f_fs
    mov eax, SYS_arch_prctl
    mov edi, 0x1003              ; ARCH_GET_FS
    lea rsi, [rel fsout]
    syscall
    lea rbx, [rel tls]
    cmp [rel fsout], rbx
    expect je, f_fs
    print fs_ok, fs_ok_len

    ; an unknown system call
    mov eax, 400
    syscall
    cmp rax, -ENOSYS
    expect je, f_enosys
    print all_ok, all_ok_len
    exit 0

section .rodata
message efault_ok, "write: EFAULT for null, kernel and edge pointers"
message uname_ok, "uname: VMkernel x86_64"
message clock_ok, "clock_gettime: monotonic"
message brk_ok, "brk: grew 64 KiB"
message mmap_ok, "mmap: 1 MiB anonymous, zeroed, unmapped"
message fs_ok, "arch_prctl: FS base set and read back"
message all_ok, "syscalls: all passed"
message f_null, "FAIL write(null)"
message f_kernel, "FAIL write(kernel pointer)"
message f_edge, "FAIL write(end of user memory)"
message f_pid, "FAIL getpid"
message f_ppid, "FAIL getppid"
message f_uname, "FAIL uname"
message f_clock, "FAIL clock_gettime"
message f_brk, "FAIL brk"
message f_mmap, "FAIL mmap"
message f_fs, "FAIL arch_prctl"
message f_enosys, "FAIL ENOSYS"

section .data
align 16
tls: dq 0, 0x5A5A
section .bss
uts: resb 65 * 6
ts1: resq 2
ts2: resq 2
fsout: resq 1
