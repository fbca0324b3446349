/*
 * vdso_image.S - the vDSO's bytes (build/posix-vdso.so, linked from
 * servers/posix/vdso/vdso.c) inside the posix server, between vdso_image
 * and vdso_image_end (vdso.c copies them into the vDSO's VM object).
 */
    .section .rodata
    .balign 16
    .globl vdso_image, vdso_image_end
vdso_image:
    .incbin VDSO_FILE
vdso_image_end:
    .section .note.GNU-stack, "", @progbits
