/* The few kernel types Sonde's BPF program reads, declared for CO-RE: field offsets are relocated
 * against the running kernel's BTF at load time, so no vmlinux.h is needed. Only the fields used are
 * declared. x86_64 only (pt_regs). */
#ifndef SONDE_KERNEL_H
#define SONDE_KERNEL_H

#include <linux/types.h>
#include <linux/bpf.h>

/* Tell bpf_tracing.h to use the kernel's pt_regs field names declared below. */
#define __VMLINUX_H__

#define PRESERVE __attribute__((preserve_access_index))

struct pt_regs {
    unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs,
        flags, sp, ss;
} PRESERVE;

/* Context of a syscalls:sys_enter_* tracepoint: common header, syscall number, then the arguments. */
struct syscall_enter_ctx {
    __u64 common;
    long syscall_nr;
    unsigned long args[6];
};

/* Context of a syscalls:sys_exit_* tracepoint. */
struct syscall_exit_ctx {
    __u64 common;
    long syscall_nr;
    long ret;
};

struct in6_addr {
    __u8 s6_addr[16];
} PRESERVE;

struct sock_common {
    __be32 skc_daddr;
    __be32 skc_rcv_saddr;
    __be16 skc_dport;
    __u16 skc_num;
    unsigned short skc_family;
    struct in6_addr skc_v6_daddr;
    struct in6_addr skc_v6_rcv_saddr;
} PRESERVE;

struct sock {
    struct sock_common __sk_common;
    __u16 sk_type;
    __u16 sk_protocol;
} PRESERVE;

struct socket {
    struct sock *sk;
} PRESERVE;

struct inode {
    unsigned short i_mode;
    unsigned long i_ino;
} PRESERVE;

struct file {
    struct inode *f_inode;
    void *private_data;
} PRESERVE;

struct fdtable {
    unsigned int max_fds;
    struct file **fd;
} PRESERVE;

struct files_struct {
    struct fdtable *fdt;
} PRESERVE;

typedef struct {
    int counter;
} atomic_t;

struct signal_struct {
    atomic_t live;       /* threads still running */
} PRESERVE;

struct task_struct {
    int pid;
    int tgid;
    struct files_struct *files;
    struct signal_struct *signal;
    struct task_struct *group_leader;
    __u64 start_boottime; /* ns after boot, counting suspend: what /proc/PID/stat's starttime is cut from */
    __u64 self_exec_id;   /* programs run so far (each exec counts one); threads share their process's */
    char comm[16];
} PRESERVE;

#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1
#define IPPROTO_TCP 6
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define MSG_PEEK 2
#define EINPROGRESS 115
#define CLOSE_RANGE_CLOEXEC (1U << 2)

#endif
