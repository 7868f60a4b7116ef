; font.asm -- the console's 8x16 ASCII font: 128 glyphs x 16 rows, one byte per row, bit 7 = leftmost pixel.
; font.bin is generated at build time from GRUB's unicode.pf2 (build/ConsoleFont.targets), never checked in.
bits 64

section .rodata
align 16
k_font:
    incbin "font.bin"
k_font_end:

section .text
; u8* k_font_address(void): the font for Drivers/Console/FramebufferConsole.cs (ILC RuntimeImport).
global k_font_address
k_font_address:
    lea rax, [k_font]
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
