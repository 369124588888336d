/* libbpf for Swift: the library's headers plus typed wrappers for what Swift cannot call directly
 * (option-struct macros, variadic print callbacks). */
#ifndef SONDE_CLIBBPF_SHIM_H
#define SONDE_CLIBBPF_SHIM_H
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>

static int sonde_libbpf_print_nothing(enum libbpf_print_level level, const char *format, va_list args) {
    (void)level; (void)format; (void)args;
    return 0;
}

static int sonde_libbpf_print_warnings(enum libbpf_print_level level, const char *format, va_list args) {
    return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, format, args);
}

/* libbpf's own messages: warnings and errors on stderr when verbose, nothing otherwise. */
static inline void sonde_libbpf_set_verbose(bool verbose) {
    libbpf_set_print(verbose ? sonde_libbpf_print_warnings : sonde_libbpf_print_nothing);
}

/* A kprobe (or kretprobe) on the syscall `name`, with the architecture's wrapper prefix resolved. */
static inline struct bpf_link *sonde_attach_ksyscall(const struct bpf_program *program, const char *name,
                                                     bool retprobe) {
    LIBBPF_OPTS(bpf_ksyscall_opts, options, .retprobe = retprobe);
    return bpf_program__attach_ksyscall(program, name, &options);
}

/* A uprobe (or uretprobe) on `function` of the ELF file `binary`: in process `pid` only, or in every process
 * that maps the file when `pid` is -1. */
static inline struct bpf_link *sonde_attach_uprobe(const struct bpf_program *program, const char *binary,
                                                   const char *function, bool retprobe, pid_t pid) {
    LIBBPF_OPTS(bpf_uprobe_opts, options, .func_name = function, .retprobe = retprobe);
    return bpf_program__attach_uprobe_opts(program, pid, binary, 0, &options);
}
#endif
