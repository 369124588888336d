/* libbpf for Swift: the library's headers plus typed wrappers for what Swift cannot call directly
 * (option-struct macros, variadic callbacks). */
#ifndef SONDE_CLIBBPF_SHIM_H
#define SONDE_CLIBBPF_SHIM_H
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#endif
