; exceptions.asm -- the assembly side of exception handling: the throw entry points ILC's code calls (RhpThrowEx,
; RhpRethrow), the entry a hardware fault is redirected to (RhpThrowHwEx), and the thunks that run a method's
; handler funclets for the dispatcher (Runtime/Internal/Runtime/ExceptionHandling). C# cannot do these: they
; capture or load the callee-saved registers of another frame, and the catch thunk switches to that frame's stack.
;
; The unwinder (Runtime/Internal/Runtime/Unwinding) recognises the return address after each `call` below and
; knows the frame each thunk leaves (EHThunks.cs): keep the two in step.
default rel
bits 64

; RegisterContext: general registers by DWARF number, 8 bytes each (RegisterContext.cs).
%define CTX_RAX 0
%define CTX_RDX 8
%define CTX_RCX 16
%define CTX_RBX 24
%define CTX_RSI 32
%define CTX_RDI 40
%define CTX_RBP 48
%define CTX_RSP 56
%define CTX_R8 64
%define CTX_R9 72
%define CTX_R10 80
%define CTX_R11 88
%define CTX_R12 96
%define CTX_R13 104
%define CTX_R14 112
%define CTX_R15 120
%define CTX_RIP 128
%define CTX_SIZE 144              ; 136 rounded up to keep the stack 16-byte aligned

; ExInfo fields the catch thunk reads (ExInfo.cs).
%define EXINFO_PREVIOUS 0
%define EXINFO_THREAD 8
%define EXINFO_RESUME_SP 16

; ExceptionKind (ExceptionKind.cs).
%define KIND_THROW 1
%define KIND_RETHROW 2

extern RhpDispatchException       ; void (object exception, ExceptionKind kind, RegisterContext* throwSite), never returns

%macro SAVE_CALLEE_SAVED 1        ; into the RegisterContext at %1
    mov [%1 + CTX_RBX], rbx
    mov [%1 + CTX_RBP], rbp
    mov [%1 + CTX_R12], r12
    mov [%1 + CTX_R13], r13
    mov [%1 + CTX_R14], r14
    mov [%1 + CTX_R15], r15
%endmacro

%macro LOAD_CALLEE_SAVED 1        ; from the RegisterContext at %1
    mov rbx, [%1 + CTX_RBX]
    mov rbp, [%1 + CTX_RBP]
    mov r12, [%1 + CTX_R12]
    mov r13, [%1 + CTX_R13]
    mov r14, [%1 + CTX_R14]
    mov r15, [%1 + CTX_R15]
%endmacro

%macro PUSH_CALLEE_SAVED 0        ; the funclet thunks' frame: r15 highest ... rbp lowest (EHThunks.cs)
    push r15
    push r14
    push r13
    push r12
    push rbx
    push rbp
%endmacro

%macro POP_CALLEE_SAVED 0
    pop rbp
    pop rbx
    pop r12
    pop r13
    pop r14
    pop r15
%endmacro

section .text

; ---------------------------------------------------------------------------------------------- throwing
; RhpThrowEx(object exception): `throw e`. RhpRethrow(): `throw;` (the dispatcher finds the exception in flight).
; Both build a RegisterContext of the throw site (the caller: IP = the return address, SP = after it) and enter
; the dispatcher with it at this frame's rsp, which is where the dispatcher's frame unwinds to.
global RhpThrowEx
RhpThrowEx:
    mov esi, KIND_THROW
    jmp throw_common

global RhpRethrow
RhpRethrow:
    xor edi, edi
    mov esi, KIND_RETHROW

throw_common:
    lea rax, [rsp + 8]           ; the throw site's rsp once the call has returned
    mov rcx, [rsp]               ; the throw site's IP
    sub rsp, CTX_SIZE + 8        ; entry rsp is 8 mod 16: this also realigns for the call
    mov [rsp + CTX_RIP], rcx
    mov [rsp + CTX_RSP], rax
    SAVE_CALLEE_SAVED rsp
    xor eax, eax                 ; scratch registers are dead at a call: record zeros
    mov [rsp + CTX_RAX], rax
    mov [rsp + CTX_RCX], rax
    mov [rsp + CTX_RDX], rax
    mov [rsp + CTX_RSI], rax
    mov [rsp + CTX_RDI], rax
    mov [rsp + CTX_R8], rax
    mov [rsp + CTX_R9], rax
    mov [rsp + CTX_R10], rax
    mov [rsp + CTX_R11], rax
    mov rdx, rsp
    call RhpDispatchException
throw_site_return:               ; [rsp] = the throw site's RegisterContext
    ud2

; RhpThrowHwEx: where the kernel's fault handler sends a fault in managed code (by rewriting the interrupt frame;
; Kernel/Core/Interrupts/Exceptions.cs). Arrives with rdi = ExceptionKind, rsi = the faulting IP, rsp and every
; other register as they were at the fault, interrupts as they were. The context goes below the faulting rsp.
global RhpThrowHwEx
RhpThrowHwEx:
    push rax                     ; a push is safe against interrupts; a store below rsp would not be
    lea rax, [rsp + 8]           ; the faulting rsp
    and rsp, -16
    sub rsp, CTX_SIZE
    mov [rsp + CTX_RSP], rax
    mov [rsp + CTX_RIP], rsi
    mov rax, [rax - 8]
    mov [rsp + CTX_RAX], rax
    mov [rsp + CTX_RCX], rcx
    mov [rsp + CTX_RDX], rdx
    mov [rsp + CTX_R8], r8
    mov [rsp + CTX_R9], r9
    mov [rsp + CTX_R10], r10
    mov [rsp + CTX_R11], r11
    SAVE_CALLEE_SAVED rsp
    xor eax, eax                 ; rsi and rdi carried the fault's description
    mov [rsp + CTX_RSI], rax
    mov [rsp + CTX_RDI], rax
    mov esi, edi                 ; kind
    xor edi, edi                 ; no object yet: the dispatcher creates the exception
    mov rdx, rsp
    call RhpDispatchException
hardware_fault_return:           ; [rsp] = the faulting RegisterContext (its IP is the faulting instruction)
    ud2

; ---------------------------------------------------------------------------------------------- funclets
; Frame of all three thunks at the funclet's return address: [+0] ExInfo* (0 for filters), [+8] rbp, [+16] rbx,
; [+24] r12, [+32] r13, [+40] r14, [+48] r15 (the dispatcher's), [+56] return address into the dispatcher.

; void RhpCallCatchFunclet(object exception, void* handler, RegisterContext* frame, ExInfo* exInfo)
; Runs the catch handler with the owning frame's callee-saved registers; the handler returns the address where
; its method continues. Every dispatch whose ExInfo lies below the frame's SP has finished (its stack is about to
; be reused): unlink them, then continue the method on its own stack. Never returns.
global RhpCallCatchFunclet
RhpCallCatchFunclet:
    PUSH_CALLEE_SAVED
    push rcx
    LOAD_CALLEE_SAVED rdx
    call rsi                     ; rdi = exception
catch_funclet_return:
    mov rcx, [rsp]
    mov rdx, [rcx + EXINFO_RESUME_SP]
    mov rsi, [rcx + EXINFO_THREAD]
    mov rdi, [rcx + EXINFO_PREVIOUS]
.unlink:
    test rdi, rdi
    jz .unlinked
    cmp rdi, rdx
    jae .unlinked
    mov rdi, [rdi + EXINFO_PREVIOUS]
    jmp .unlink
.unlinked:
    mov [rsi], rdi               ; ThreadExceptionState.Head
    mov rsp, rdx
    jmp rax

; void RhpCallFinallyFunclet(void* handler, RegisterContext* frame, ExInfo* exInfo)
global RhpCallFinallyFunclet
RhpCallFinallyFunclet:
    PUSH_CALLEE_SAVED
    push rdx
    LOAD_CALLEE_SAVED rsi
    call rdi
finally_funclet_return:
    add rsp, 8
    POP_CALLEE_SAVED
    ret

; int RhpCallFilterFunclet(object exception, void* filter, RegisterContext* frame): nonzero = the clause catches
global RhpCallFilterFunclet
RhpCallFilterFunclet:
    PUSH_CALLEE_SAVED
    push 0
    LOAD_CALLEE_SAVED rdx
    call rsi                     ; rdi = exception
filter_funclet_return:
    add rsp, 8
    POP_CALLEE_SAVED
    ret

; ---------------------------------------------------------------------------------------------- introspection
; void RhpCaptureCallerContext(RegisterContext* context): the caller's frame at this call, for a stack walk that
; starts in C# (StackFrameIterator.CaptureCallerContext).
global RhpCaptureCallerContext
RhpCaptureCallerContext:
    mov rax, [rsp]
    mov [rdi + CTX_RIP], rax
    lea rax, [rsp + 8]
    mov [rdi + CTX_RSP], rax
    SAVE_CALLEE_SAVED rdi
    xor eax, eax
    mov [rdi + CTX_RAX], rax
    mov [rdi + CTX_RCX], rax
    mov [rdi + CTX_RDX], rax
    mov [rdi + CTX_RSI], rax
    mov [rdi + CTX_RDI], rax
    mov [rdi + CTX_R8], rax
    mov [rdi + CTX_R9], rax
    mov [rdi + CTX_R10], rax
    mov [rdi + CTX_R11], rax
    ret

; The return addresses above, in the order of EHThunks.Table, and the fault entry.
global RhpGetEHThunkTable
RhpGetEHThunkTable:
    lea rax, [eh_thunk_table]
    ret

section .rodata
align 8
eh_thunk_table:
    dq throw_site_return, hardware_fault_return, catch_funclet_return, finally_funclet_return, filter_funclet_return
    dq RhpThrowHwEx

section .note.GNU-stack noalloc noexec nowrite progbits
