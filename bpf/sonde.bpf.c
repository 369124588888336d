// SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0)
/* Sonde's kernel side: socket syscalls -> connection and data events in a ring buffer.
 *
 * Every data syscall (read, write, readv, writev, recvfrom, sendto, recvmsg, sendmsg, sendfile) is seen
 * at entry (arguments) and exit (byte count). An fd is resolved through the task's file table to its
 * socket when first seen, so connections opened before Sonde started are traced too; only TCP sockets (IPv4,
 * IPv6, v4-mapped) produce events. The verdict holds until the fd stops naming that file (close,
 * close_range, dup2/dup3 onto it, exec). Each connection gets a generation number when its socket is first
 * seen, so a reused fd never mixes two connections.
 *
 * The same logic has two front ends: syscall tracepoints (always available) and kprobes on the syscall
 * functions (where the kernel has kprobes). User space loads one of them. TLS plaintext comes from
 * uprobes on OpenSSL (sonde_tls.h), which also marks the connections whose ciphertext to drop. */
#include "include/sonde_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "abi/sonde_events.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Iovec entries copied per readv/writev/recvmsg/sendmsg call; bytes in later entries still count. */
#define MAX_IOVECS 32

struct connection_key {
    __u32 tgid;
    __s32 fd;
};

/* What Sonde knows of an fd: the file it resolved and, for TCP sockets, the connection. It holds from the
 * verdict until Sonde sees the fd closed (close, close_range, dup2 or dup3 onto it), so data calls do not
 * look the fd up in the process's file table again; after an exec (which closes close-on-exec fds) the
 * table is looked at once more. */
struct connection_state {
    __u64 file;          /* struct file * the verdict was made for */
    __u64 inode_number;  /* of that file: a freed struct file is soon reused at the same address */
    __u64 process_start; /* the process the verdict was made in (start_boottime), should its pid be reused */
    __u64 offset[2];     /* bytes seen so far per enum sonde_direction */
    __u32 generation;
    __u32 exec_id;       /* the program the process ran then (self_exec_id, counts execs) */
    __u16 local_port;
    __u16 remote_port;
    __u8 traced;         /* 1: a TCP socket passing the filters; 0: ignore this fd */
    __u8 tls;            /* 1: carries TLS; its plaintext comes from the TLS probes, its ciphertext is dropped */
    __u8 peer_checked;   /* 1 once the peer was found not to be Sonde itself (see sonde_own_ports) */
    __u8 reserved;
};

enum call_kind {
    CALL_BUFFER = 1,   /* one buffer: read, write, recvfrom, sendto */
    CALL_IOVEC = 2,    /* an iovec array: readv, writev, recvmsg, sendmsg */
    CALL_NO_PAYLOAD = 3, /* bytes not in user memory: sendfile */
    CALL_CONNECT = 4,
};

/* A data or connect syscall between its entry and its exit, per thread. */
struct active_call {
    __u64 buffer;        /* user buffer or iovec array */
    __u64 iovec_count;
    __u64 entry_ns;
    __s32 fd;
    __u8 kind;           /* enum call_kind; 0 once the call's exit took it */
    __u8 direction;      /* enum sonde_direction */
    __u8 reserved[2];
};

/* An SSL_read/SSL_write call between its entry and its return, per thread (sonde_tls.h). */
struct ssl_call {
    __u64 ssl;           /* the SSL object; 0 once the call returned */
    __u64 buffer;        /* the plaintext buffer */
    __u64 length_out;    /* _ex variants: where the byte count is written; 0 otherwise */
    __u64 entry_ns;
    __s32 fd;            /* learned from a nested syscall, or SSL_FD_* */
    __u8 direction;      /* enum sonde_direction */
    __u8 reserved[3];
};

/* What a thread has in flight: a syscall, and the SSL call the syscall may be nested in. */
struct thread_calls {
    struct active_call syscall;
    struct ssl_call ssl;
};

struct iovec_entry {
    __u64 base;
    __u64 len;
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct sonde_config);
} sonde_config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 8 * 1024 * 1024);
} sonde_events SEC(".maps");

/* Events that did not fit in the ring buffer, per CPU. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} sonde_lost SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 131072);
    __type(key, struct connection_key);
    __type(value, struct connection_state);
} sonde_connections SEC(".maps");

/* Each thread's calls in flight, in the thread's own storage: reached from the task in a few loads, where a
 * hash map keyed by pid_tgid cost a hashed lookup per entry and per exit. Written over in place by the
 * thread's next call, empty between calls, freed by the kernel with the thread. */
struct {
    __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct thread_calls);
} sonde_threads SEC(".maps");

/* Local ports of the connections Sonde itself opened (its exports to a collector). The other end of such a
 * connection is not traced either, or a local collector receiving Sonde's spans would make new spans to
 * export forever. */
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 1024);
    __type(key, __u16);
    __type(value, __u8);
} sonde_own_ports SEC(".maps");

/* Room to build one data event: header plus twice the largest payload, so bounded offsets verify. */
struct event_scratch {
    struct sonde_data_event event;
    __u8 payload[2 * SONDE_MAX_CAPTURE];
};

/* One entry per CPU, indexed by CPU id (a per-CPU map value may not exceed 32 KiB). Programs run with
 * migration disabled, so an entry is never shared by two running programs. User space sets max_entries to
 * the number of possible CPUs before loading. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 256);
    __type(key, __u32);
    __type(value, struct event_scratch);
} sonde_scratch SEC(".maps");

__u32 next_generation = 0;

/* Set by user space before loading for `--probe-only`: every program is attached but returns at once, the
 * floor of what probing costs. Read-only data, so the verifier drops whichever branch is dead. Its own
 * section, so user space sets it without knowing the layout of other read-only data. */
const volatile __u8 probe_only SEC(".rodata.probe_only") = 0;

static __always_inline struct sonde_config *config(void) {
    __u32 zero = 0;
    return bpf_map_lookup_elem(&sonde_config, &zero);
}

/* User space reads the ring on a clock of its own (SondeBPF's RingBufferPacing), so ordinary events do not
 * wake it: a wakeup is an interrupt on the traced process's CPU (a VM exit in a guest), and waking it at
 * every 64 KiB unread had cost nginx's CPU about 200 ns per request. Each CPU looks at the ring's fill once
 * per FILL_CHECK_BYTES it adds, and wakes user space only when a quarter of the ring waits unread: a burst
 * that came while user space slept. */
#define FILL_CHECK_BYTES (64 * 1024)

/* Bytes each CPU has added to the ring since it last looked at the ring's fill. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} sonde_unchecked_bytes SEC(".maps");

/* The ring buffer flags of an ordinary event of `size` bytes (see FILL_CHECK_BYTES). Connection opens and
 * program starts (rare) wake user space at once instead: it reads the process from /proc while it still
 * lives, and probes a new program's TLS library before the program gets far. */
static __always_inline __u64 wakeup_flags(__u64 size) {
    __u32 zero = 0;
    __u64 *unchecked = bpf_map_lookup_elem(&sonde_unchecked_bytes, &zero);
    if (!unchecked)
        return BPF_RB_NO_WAKEUP;
    *unchecked += size;
    if (*unchecked < FILL_CHECK_BYTES)
        return BPF_RB_NO_WAKEUP;
    *unchecked = 0;
    __u64 unread = bpf_ringbuf_query(&sonde_events, BPF_RB_AVAIL_DATA);
    return unread + size >= bpf_ringbuf_query(&sonde_events, BPF_RB_RING_SIZE) / 4 ? BPF_RB_FORCE_WAKEUP
                                                                                   : BPF_RB_NO_WAKEUP;
}

/* The calling thread, taken once per program and passed on: each helper call costs a call and a return
 * (through the return thunk on CPUs that need one), where its fields are loads in place. */
static __always_inline struct task_struct *current_task(void) {
    return bpf_get_current_task_btf();
}

/* What bpf_get_current_pid_tgid() returns, from the task's own fields. */
static __always_inline __u64 pid_tgid_of(struct task_struct *task) {
    return (__u64)task->tgid << 32 | (__u32)task->pid;
}

/* The thread's calls in flight; with `create`, made (empty) when the thread has none yet. */
static __always_inline struct thread_calls *calls_of(struct task_struct *task, int create) {
    return bpf_task_storage_get(&sonde_threads, task, 0, create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
}

static __always_inline void count_lost(void) {
    __u32 zero = 0;
    __u64 *lost = bpf_map_lookup_elem(&sonde_lost, &zero);
    if (lost)
        __sync_fetch_and_add(lost, 1);
}

/* Whether the process of `task` is one Sonde traces (before looking at its sockets). */
static __always_inline int process_selected(struct sonde_config *cfg, struct task_struct *task) {
    __u32 tgid = task->tgid;
    if (tgid == cfg->self_tgid)
        return 0;
    if (cfg->filter_tgid && tgid != cfg->filter_tgid)
        return 0;
    if (cfg->filter_comm[0]) {
        /* Loaded in place through the task's BTF pointer: a probe-read helper call per field, on every call
         * of every process, had cost more than the comparison. */
        const char *comm = task->group_leader->comm;
        for (int i = 0; i < SONDE_COMM_LEN; i++) {
            if (comm[i] != cfg->filter_comm[i])
                return 0;
            if (comm[i] == 0)
                break;
        }
    }
    return 1;
}

/* The calling thread if its process is selected, else NULL. */
static __always_inline struct task_struct *selected_task(void) {
    struct sonde_config *cfg = config();
    struct task_struct *task = current_task();
    return cfg && process_selected(cfg, task) ? task : 0;
}

/* The file behind `fd` of the process of `task`. The table is reached through the task's BTF pointer (loads
 * in place); only the entry, at a variable index, needs a probe read. */
static __always_inline struct file *file_of_fd(struct task_struct *task, __s32 fd) {
    struct fdtable *fdt = task->files->fdt;
    if (!fdt || fd < 0 || (unsigned int)fd >= fdt->max_fds)
        return 0;
    struct file **fds = fdt->fd;
    struct file *file = 0;
    bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
    return file;
}

/* The inode number of `file` (0 for none). Every socket gets a new one. */
static __always_inline __u64 inode_number_of(struct file *file) {
    return file ? BPF_CORE_READ(file, f_inode, i_ino) : 0;
}

/* The TCP socket behind `file`, or NULL for anything else (files, pipes, UNIX and UDP sockets). */
static __always_inline struct sock *tcp_sock_of_file(struct file *file) {
    if (!file)
        return 0;
    unsigned short mode = BPF_CORE_READ(file, f_inode, i_mode);
    if ((mode & S_IFMT) != S_IFSOCK)
        return 0;
    struct socket *socket = BPF_CORE_READ(file, private_data);
    struct sock *sk = BPF_CORE_READ(socket, sk);
    if (!sk)
        return 0;
    unsigned short family = BPF_CORE_READ(sk, __sk_common.skc_family);
    if (family != AF_INET && family != AF_INET6)
        return 0;
    if (BPF_CORE_READ(sk, sk_type) != SOCK_STREAM || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
        return 0;
    return sk;
}

static __always_inline void fill_header(struct sonde_event_header *header, __u32 kind, __u64 pid_tgid,
                                        __s32 fd, __u32 generation, __u64 timestamp) {
    header->kind = kind;
    header->tgid = pid_tgid >> 32;
    header->tid = (__u32)pid_tgid;
    header->fd = fd;
    header->generation = generation;
    header->reserved = 0;
    header->timestamp_ns = timestamp;
}

static __always_inline void emit_open(struct sock *sk, struct task_struct *task, __s32 fd, __u32 generation,
                                      __u8 role) {
    struct sonde_connection_event event = {};
    fill_header(&event.header, SONDE_EVENT_OPEN, pid_tgid_of(task), fd, generation, bpf_ktime_get_ns());
    event.role = role;
    event.family = BPF_CORE_READ(sk, __sk_common.skc_family);
    event.local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
    event.remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
    if (event.family == AF_INET) {
        /* Written as v4-mapped IPv6 so user space decodes one form. */
        event.local_addr[10] = 0xff;
        event.local_addr[11] = 0xff;
        event.remote_addr[10] = 0xff;
        event.remote_addr[11] = 0xff;
        bpf_core_read(&event.local_addr[12], sizeof(__be32), &sk->__sk_common.skc_rcv_saddr);
        bpf_core_read(&event.remote_addr[12], sizeof(__be32), &sk->__sk_common.skc_daddr);
    } else {
        BPF_CORE_READ_INTO(&event.local_addr, sk, __sk_common.skc_v6_rcv_saddr);
        BPF_CORE_READ_INTO(&event.remote_addr, sk, __sk_common.skc_v6_daddr);
    }
    BPF_CORE_READ_INTO(&event.comm, task, group_leader, comm);
    event.process_start_ns = BPF_CORE_READ(task, group_leader, start_boottime);
    if (bpf_ringbuf_output(&sonde_events, &event, sizeof(event), BPF_RB_FORCE_WAKEUP))
        count_lost();
}

/* Records a fresh verdict for `fd` (now backed by `file`) and, for a traced TCP socket, announces it. */
static __always_inline struct connection_state *track(struct sonde_config *cfg, struct task_struct *task,
                                                      __s32 fd, struct file *file, __u8 role) {
    struct connection_key key = {.tgid = task->tgid, .fd = fd};
    struct connection_state state = {
        .file = (__u64)file,
        .inode_number = inode_number_of(file),
        .process_start = task->group_leader->start_boottime,
        .exec_id = task->self_exec_id,
    };
    struct sock *sk = tcp_sock_of_file(file);
    if (sk) {
        state.local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
        state.remote_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
        state.traced = !cfg->filter_port || state.local_port == cfg->filter_port ||
                       state.remote_port == cfg->filter_port;
    }
    if (state.traced)
        state.generation = __sync_fetch_and_add(&next_generation, 1) + 1;
    bpf_map_update_elem(&sonde_connections, &key, &state, BPF_ANY);
    if (state.traced)
        emit_open(sk, task, fd, state.generation, role);
    return bpf_map_lookup_elem(&sonde_connections, &key);
}

/* Whether `file` is the one `state`'s verdict was made for. A freed struct file is soon reused at the same
 * address, so its inode number must match too (every socket gets a new one). */
static __always_inline int verdict_is_for(struct connection_state *state, struct file *file) {
    return state->file == (__u64)file && state->inode_number == inode_number_of(file);
}

/* The state of `fd` if it is a traced TCP connection, resolving it when first seen, and again when it was
 * made by an earlier process of the same pid or before the process ran another program. */
static __always_inline struct connection_state *traced_connection(struct sonde_config *cfg,
                                                                  struct task_struct *task, __s32 fd) {
    struct connection_key key = {.tgid = task->tgid, .fd = fd};
    struct connection_state *state = bpf_map_lookup_elem(&sonde_connections, &key);
    if (state && state->process_start != task->group_leader->start_boottime)
        state = 0;
    __u32 exec_id = task->self_exec_id;
    if (!state || state->exec_id != exec_id) {
        struct file *file = file_of_fd(task, fd);
        if (state && verdict_is_for(state, file))
            state->exec_id = exec_id; /* a socket kept open across the exec keeps its connection */
        else
            state = track(cfg, task, fd, file, SONDE_ROLE_UNKNOWN);
    }
    if (!state || !state->traced)
        return 0;
    /* Checked when data first moves, not when the connection is tracked: the peer may accept Sonde's
     * connection before Sonde's connect() has returned and its port is known, but it reads nothing before
     * Sonde writes, after that return. */
    if (!state->peer_checked) {
        if (bpf_map_lookup_elem(&sonde_own_ports, &state->remote_port)) {
            state->traced = 0;
            return 0;
        }
        state->peer_checked = 1;
    }
    return state;
}

/* The scratch event of this CPU with its header filled for a data event, or NULL. Reads complete at
 * exit; writes start at entry (the request's first byte leaves then): `entry_ns` stamps egress. */
static __always_inline struct event_scratch *start_data_event(__u64 pid_tgid, __s32 fd, __u32 generation,
                                                             __u8 direction, __u8 flags, __u64 entry_ns) {
    __u32 cpu = bpf_get_smp_processor_id();
    struct event_scratch *scratch = bpf_map_lookup_elem(&sonde_scratch, &cpu);
    if (!scratch)
        return 0;
    fill_header(&scratch->event.header, SONDE_EVENT_DATA, pid_tgid, fd, generation,
                direction == SONDE_EGRESS ? entry_ns : bpf_ktime_get_ns());
    scratch->event.direction = direction;
    scratch->event.flags = flags;
    return scratch;
}

/* Payload bytes to capture of a call that moved `size` bytes. */
static __always_inline __u32 capture_limit(struct sonde_config *cfg, __u64 size) {
    __u32 limit = cfg->capture_size < size ? cfg->capture_size : size;
    return limit > SONDE_MAX_CAPTURE ? SONDE_MAX_CAPTURE : limit;
}

/* Sends the scratch event with `captured` payload bytes. */
static __always_inline void submit_data_event(struct event_scratch *scratch, __u32 captured) {
    if (captured > SONDE_MAX_CAPTURE)
        captured = SONDE_MAX_CAPTURE;
    scratch->event.captured = captured;
    __u64 size = sizeof(struct sonde_data_event) + captured;
    if (bpf_ringbuf_output(&sonde_events, scratch, size, wakeup_flags(size)))
        count_lost();
}

/* Emits a process event (exec, exit, fork) of the process `pid_tgid`. Starts (exec, fork) wake user space
 * at once: it attaches the TLS probes to the new process before the process gets far. */
static __always_inline void emit_process_event(__u32 kind, __u64 pid_tgid) {
    struct sonde_event_header event = {};
    fill_header(&event, kind, pid_tgid, 0, 0, bpf_ktime_get_ns());
    __u64 flags = kind == SONDE_EVENT_EXIT ? wakeup_flags(sizeof(event)) : BPF_RB_FORCE_WAKEUP;
    if (bpf_ringbuf_output(&sonde_events, &event, sizeof(event), flags))
        count_lost();
}

#include "sonde_tls.h"

static __always_inline int enter_call(__s32 fd, __u64 buffer, __u64 iovec_count, __u8 kind,
                                      __u8 direction) {
    if (probe_only)
        return 0;
    struct sonde_config *cfg = config();
    struct task_struct *task = current_task();
    if (!cfg)
        return 0;
    /* Sonde's own connects are followed only to learn their local ports (see sonde_own_ports). */
    int own = task->tgid == cfg->self_tgid;
    if (!(own && kind == CALL_CONNECT) && !process_selected(cfg, task))
        return 0;
    struct thread_calls *thread = calls_of(task, 1);
    if (!thread)
        return 0;
    if (kind != CALL_CONNECT && tls_claims_nested_call(cfg, task, fd, &thread->ssl))
        return 0;
    /* The fd is resolved at exit, and only when the call moved bytes: many reads return none (EAGAIN). Only
     * egress is stamped at entry. */
    thread->syscall = (struct active_call){
        .buffer = buffer,
        .iovec_count = iovec_count,
        .entry_ns = direction == SONDE_EGRESS ? bpf_ktime_get_ns() : 0,
        .fd = fd,
        .kind = kind,
        .direction = direction,
    };
    return 0;
}

/* recvmsg/sendmsg: the iovec array is inside the user's struct msghdr. */
static __always_inline int enter_msghdr_call(__s32 fd, __u64 msghdr, __u8 direction) {
    if (probe_only)
        return 0;
    __u64 iov = 0, iovlen = 0;
    bpf_probe_read_user(&iov, sizeof(iov), (void *)(msghdr + 16));
    bpf_probe_read_user(&iovlen, sizeof(iovlen), (void *)(msghdr + 24));
    return enter_call(fd, iov, iovlen, CALL_IOVEC, direction);
}

static __always_inline __u32 copy_iovecs(struct event_scratch *scratch, __u64 iov, __u64 count,
                                         __u32 limit) {
    __u32 copied = 0;
    for (int i = 0; i < MAX_IOVECS; i++) {
        if (i >= count || copied >= limit)
            break;
        struct iovec_entry entry;
        if (bpf_probe_read_user(&entry, sizeof(entry), (void *)(iov + i * sizeof(entry))))
            break;
        __u32 chunk = entry.len < limit - copied ? entry.len : limit - copied;
        if (copied >= SONDE_MAX_CAPTURE || chunk > SONDE_MAX_CAPTURE)
            break;
        if (bpf_probe_read_user(&scratch->payload[copied], chunk, (void *)entry.base))
            break;
        copied += chunk;
    }
    return copied;
}

/* Moves the thread's call from its entry into `call`, leaving the entry empty; 0 when no call was
 * recorded. */
static __always_inline int take_active_call(struct task_struct *task, struct active_call *call) {
    struct thread_calls *thread = calls_of(task, 0);
    if (!thread || !thread->syscall.kind)
        return 0;
    *call = thread->syscall;
    thread->syscall.kind = 0;
    return 1;
}

static __always_inline int exit_data_call(long ret) {
    if (probe_only)
        return 0;
    struct task_struct *task = current_task();
    struct active_call active;
    if (!take_active_call(task, &active))
        return 0;
    struct sonde_config *cfg = config();
    if (ret <= 0 || !cfg || active.kind == CALL_CONNECT)
        return 0;
    struct connection_state *state = traced_connection(cfg, task, active.fd);
    if (!state || state->tls)
        return 0;
    __u8 direction = active.direction & 1;
    struct event_scratch *scratch =
        start_data_event(pid_tgid_of(task), active.fd, state->generation, direction, 0, active.entry_ns);
    if (!scratch)
        return 0;
    scratch->event.size = ret;
    scratch->event.offset = __sync_fetch_and_add(&state->offset[direction], ret);
    __u32 limit = capture_limit(cfg, ret);
    __u32 captured = 0;
    if (active.kind == CALL_BUFFER) {
        if (bpf_probe_read_user(scratch->payload, limit, (void *)active.buffer) == 0)
            captured = limit;
    } else if (active.kind == CALL_IOVEC) {
        captured = copy_iovecs(scratch, active.buffer, active.iovec_count, limit);
    }
    submit_data_event(scratch, captured);
    return 0;
}

static __always_inline int exit_connect_call(long ret) {
    if (probe_only)
        return 0;
    struct task_struct *task = current_task();
    struct active_call call;
    if (!take_active_call(task, &call))
        return 0;
    __s32 fd = call.fd;
    struct sonde_config *cfg = config();
    if (!cfg || call.kind != CALL_CONNECT || (ret != 0 && ret != -EINPROGRESS))
        return 0;
    if (task->tgid == cfg->self_tgid) {
        struct sock *sk = tcp_sock_of_file(file_of_fd(task, fd));
        if (sk) {
            __u16 port = BPF_CORE_READ(sk, __sk_common.skc_num);
            __u8 present = 1;
            bpf_map_update_elem(&sonde_own_ports, &port, &present, BPF_ANY);
        }
        return 0;
    }
    track(cfg, task, fd, file_of_fd(task, fd), SONDE_ROLE_CLIENT);
    return 0;
}

static __always_inline int exit_accept_call(long ret) {
    if (probe_only)
        return 0;
    struct sonde_config *cfg = config();
    struct task_struct *task = current_task();
    if (ret < 0 || !cfg || !process_selected(cfg, task))
        return 0;
    track(cfg, task, ret, file_of_fd(task, ret), SONDE_ROLE_SERVER);
    return 0;
}

/* Ends what Sonde knows of `fd` of the process `pid_tgid`: the fd was closed, or another file put in its
 * place. A traced connection's end is announced. */
static __always_inline void forget_fd(__u64 pid_tgid, __s32 fd) {
    struct connection_key key = {.tgid = pid_tgid >> 32, .fd = fd};
    struct connection_state *state = bpf_map_lookup_elem(&sonde_connections, &key);
    if (!state)
        return;
    if (state->traced) {
        struct sonde_close_event event = {};
        fill_header(&event.header, SONDE_EVENT_CLOSE, pid_tgid, fd, state->generation, bpf_ktime_get_ns());
        if (bpf_ringbuf_output(&sonde_events, &event, sizeof(event), wakeup_flags(sizeof(event))))
            count_lost();
    }
    bpf_map_delete_elem(&sonde_connections, &key);
}

static __always_inline int enter_close_call(__s32 fd) {
    if (probe_only)
        return 0;
    struct task_struct *task = selected_task();
    if (task)
        forget_fd(pid_tgid_of(task), fd);
    return 0;
}

struct fd_range {
    __u64 pid_tgid;
    __u32 first;
};

static long forget_fd_in_range(__u32 index, struct fd_range *range) {
    forget_fd(range->pid_tgid, range->first + index);
    return 0;
}

/* close_range(first, last, flags) closes every open fd from first to last. With CLOSE_RANGE_CLOEXEC it only
 * marks them, to be closed by the next exec, which Sonde sees by itself. */
static __always_inline int enter_close_range_call(__u32 first, __u32 last, __u32 flags) {
    if (probe_only || (flags & CLOSE_RANGE_CLOEXEC))
        return 0;
    struct task_struct *task = selected_task();
    if (!task)
        return 0;
    __u32 table_size = task->files->fdt->max_fds;
    if (last >= table_size)
        last = table_size - 1;
    if (table_size == 0 || first > last)
        return 0;
    struct fd_range range = {.pid_tgid = pid_tgid_of(task), .first = first};
    bpf_loop(last - first + 1, forget_fd_in_range, &range, 0);
    return 0;
}

/* dup2(oldfd, newfd) and dup3 put a copy of oldfd in place of newfd, their return, closing what was there;
 * dup2(fd, fd) changes nothing. The syscall's arguments are still in the task's saved user registers. */
static __always_inline int exit_dup_call(long ret) {
    if (probe_only || ret < 0)
        return 0;
    struct task_struct *task = selected_task();
    if (!task)
        return 0;
    struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
    if ((__s32)regs->di != (__s32)ret)
        forget_fd(pid_tgid_of(task), ret);
    return 0;
}

/* ---- Front end 1: syscall tracepoints (programs attached by user space to syscalls:sys_*). ---- */

#define ARG(n) (ctx->args[n])

SEC("tracepoint")
int tp_enter_read(struct syscall_enter_ctx *ctx) {
    return enter_call(ARG(0), ARG(1), 0, CALL_BUFFER, SONDE_INGRESS);
}

SEC("tracepoint")
int tp_enter_recvfrom(struct syscall_enter_ctx *ctx) {
    if (probe_only || (ARG(3) & MSG_PEEK))
        return 0;
    return enter_call(ARG(0), ARG(1), 0, CALL_BUFFER, SONDE_INGRESS);
}

SEC("tracepoint") /* write and sendto */
int tp_enter_write(struct syscall_enter_ctx *ctx) {
    return enter_call(ARG(0), ARG(1), 0, CALL_BUFFER, SONDE_EGRESS);
}

SEC("tracepoint")
int tp_enter_readv(struct syscall_enter_ctx *ctx) {
    return enter_call(ARG(0), ARG(1), ARG(2), CALL_IOVEC, SONDE_INGRESS);
}

SEC("tracepoint")
int tp_enter_writev(struct syscall_enter_ctx *ctx) {
    return enter_call(ARG(0), ARG(1), ARG(2), CALL_IOVEC, SONDE_EGRESS);
}

SEC("tracepoint")
int tp_enter_recvmsg(struct syscall_enter_ctx *ctx) {
    if (probe_only || (ARG(2) & MSG_PEEK))
        return 0;
    return enter_msghdr_call(ARG(0), ARG(1), SONDE_INGRESS);
}

SEC("tracepoint")
int tp_enter_sendmsg(struct syscall_enter_ctx *ctx) {
    return enter_msghdr_call(ARG(0), ARG(1), SONDE_EGRESS);
}

SEC("tracepoint")
int tp_enter_sendfile(struct syscall_enter_ctx *ctx) {
    return enter_call(ARG(0), 0, 0, CALL_NO_PAYLOAD, SONDE_EGRESS);
}

SEC("tracepoint")
int tp_enter_connect(struct syscall_enter_ctx *ctx) {
    return enter_call(ARG(0), 0, 0, CALL_CONNECT, SONDE_EGRESS);
}

SEC("tracepoint")
int tp_enter_close(struct syscall_enter_ctx *ctx) {
    return enter_close_call(ARG(0));
}

SEC("tracepoint")
int tp_enter_close_range(struct syscall_enter_ctx *ctx) {
    return enter_close_range_call(ARG(0), ARG(1), ARG(2));
}

SEC("tracepoint") /* dup2 and dup3 */
int tp_exit_dup(struct syscall_exit_ctx *ctx) {
    return exit_dup_call(ctx->ret);
}

SEC("tracepoint") /* every data syscall's exit */
int tp_exit_data(struct syscall_exit_ctx *ctx) {
    return exit_data_call(ctx->ret);
}

SEC("tracepoint")
int tp_exit_connect(struct syscall_exit_ctx *ctx) {
    return exit_connect_call(ctx->ret);
}

SEC("tracepoint") /* accept and accept4 */
int tp_exit_accept(struct syscall_exit_ctx *ctx) {
    return exit_accept_call(ctx->ret);
}

/* ---- Front end 2: kprobes on the syscall functions (BPF_KSYSCALL unwraps the syscall's pt_regs). ---- */

SEC("ksyscall")
int BPF_KSYSCALL(kp_enter_read, int fd, void *buf) {
    return enter_call(fd, (__u64)buf, 0, CALL_BUFFER, SONDE_INGRESS);
}

SEC("ksyscall")
int BPF_KSYSCALL(kp_enter_recvfrom, int fd, void *buf, __u64 len, int flags) {
    if (probe_only || (flags & MSG_PEEK))
        return 0;
    return enter_call(fd, (__u64)buf, 0, CALL_BUFFER, SONDE_INGRESS);
}

SEC("ksyscall")
int BPF_KSYSCALL(kp_enter_write, int fd, void *buf) {
    return enter_call(fd, (__u64)buf, 0, CALL_BUFFER, SONDE_EGRESS);
}

SEC("ksyscall")
int BPF_KSYSCALL(kp_enter_readv, int fd, void *iov, __u64 count) {
    return enter_call(fd, (__u64)iov, count, CALL_IOVEC, SONDE_INGRESS);
}

SEC("ksyscall")
int BPF_KSYSCALL(kp_enter_writev, int fd, void *iov, __u64 count) {
    return enter_call(fd, (__u64)iov, count, CALL_IOVEC, SONDE_EGRESS);
}

SEC("ksyscall")
int BPF_KSYSCALL(kp_enter_recvmsg, int fd, void *msg, int flags) {
    if (probe_only || (flags & MSG_PEEK))
        return 0;
    return enter_msghdr_call(fd, (__u64)msg, SONDE_INGRESS);
}

SEC("ksyscall")
int BPF_KSYSCALL(kp_enter_sendmsg, int fd, void *msg) {
    return enter_msghdr_call(fd, (__u64)msg, SONDE_EGRESS);
}

SEC("ksyscall")
int BPF_KSYSCALL(kp_enter_sendfile, int out_fd) {
    return enter_call(out_fd, 0, 0, CALL_NO_PAYLOAD, SONDE_EGRESS);
}

SEC("ksyscall")
int BPF_KSYSCALL(kp_enter_connect, int fd) {
    return enter_call(fd, 0, 0, CALL_CONNECT, SONDE_EGRESS);
}

SEC("ksyscall")
int BPF_KSYSCALL(kp_enter_close, int fd) {
    return enter_close_call(fd);
}

SEC("ksyscall")
int BPF_KSYSCALL(kp_enter_close_range, unsigned int first, unsigned int last, unsigned int flags) {
    return enter_close_range_call(first, last, flags);
}

SEC("kretsyscall")
int BPF_KRETPROBE(kp_exit_dup, long ret) {
    return exit_dup_call(ret);
}

SEC("kretsyscall")
int BPF_KRETPROBE(kp_exit_data, long ret) {
    return exit_data_call(ret);
}

SEC("kretsyscall")
int BPF_KRETPROBE(kp_exit_connect, long ret) {
    return exit_connect_call(ret);
}

SEC("kretsyscall")
int BPF_KRETPROBE(kp_exit_accept, long ret) {
    return exit_accept_call(ret);
}

/* ---- Process lifecycle, in either mode: exec and fork (new processes to probe for TLS), exit (connections
 * end, probes to remove). ---- */

SEC("tracepoint/sched/sched_process_exec")
int proc_exec(void *ctx) {
    if (probe_only)
        return 0;
    struct task_struct *task = selected_task();
    if (task)
        emit_process_event(SONDE_EVENT_EXEC, pid_tgid_of(task));
    return 0;
}

/* A new process (not a thread) forked by a selected one, e.g. a server's worker: it runs the same program and
 * is selected too, but executes nothing that would announce it. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(proc_fork, struct task_struct *parent, struct task_struct *child) {
    if (probe_only)
        return 0;
    struct sonde_config *cfg = config();
    if (!cfg || child->pid != child->tgid || !process_selected(cfg, parent))
        return 0;
    emit_process_event(SONDE_EVENT_FORK, pid_tgid_of(child));
    return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int proc_exit(void *ctx) {
    if (probe_only)
        return 0;
    struct task_struct *task = selected_task();
    /* Each thread passes here; the process is gone when its last thread is. */
    if (task && task->signal->live.counter == 0)
        emit_process_event(SONDE_EVENT_EXIT, pid_tgid_of(task));
    return 0;
}
