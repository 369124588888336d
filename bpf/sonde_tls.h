/* TLS plaintext from OpenSSL: uprobes on SSL_read, SSL_write, SSL_read_ex and SSL_write_ex.
 *
 * Entry records the call (SSL object, buffer, direction) per thread; the return reports the plaintext
 * with its real size. The socket is learned the way Pixie does ("nested syscall"): the read or write
 * syscall OpenSSL makes inside the SSL call names the fd. That connection is then marked TLS, so its
 * ciphertext is dropped, and the SSL object remembers the fd for later calls served from OpenSSL's own
 * buffer. Plaintext whose fd was never learned is still reported, under SONDE_FD_UNKNOWN and an id of its
 * SSL object, so it never mixes with another connection.
 *
 * Included by sonde.bpf.c after the connection helpers it uses. User space attaches these programs to
 * every distinct libssl file (and executables exporting the symbols) it finds. */
#ifndef SONDE_TLS_H
#define SONDE_TLS_H

/* ssl_call.fd before a nested syscall named it, and after one on a socket that is not traced. The thread's
 * SSL call in flight is kept with its syscall in flight (struct thread_calls, sonde.bpf.c). */
#define SSL_FD_NOT_SEEN (-1)
#define SSL_FD_UNTRACED (-2)

struct tls_session_key {
    __u32 tgid;
    __u32 reserved;
    __u64 ssl;
};

/* What is known of one SSL object: its socket, and how much plaintext went each way. */
struct tls_session {
    __u64 offset[2];     /* plaintext bytes so far per enum sonde_direction */
    __s32 fd;            /* SONDE_FD_UNKNOWN until a nested syscall names it */
    __u32 generation;    /* the connection's generation when fd is known; the session's own id otherwise */
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 65536);
    __type(key, struct tls_session_key);
    __type(value, struct tls_session);
} sonde_tls_sessions SEC(".maps");

/* Called at the entry of every data syscall of a selected process, with the thread's SSL call. Inside an SSL
 * call, the syscall moves ciphertext: it tells the SSL call its fd, marks the connection TLS, and is not
 * recorded (returns 1). */
static __always_inline int tls_claims_nested_call(struct sonde_config *cfg, struct task_struct *task,
                                                  __s32 fd, struct ssl_call *call) {
    if (!call->ssl)
        return 0;
    struct connection_state *state = traced_connection(cfg, task, fd);
    if (state) {
        state->tls = 1;
        call->fd = fd;
    } else if (call->fd == SSL_FD_NOT_SEEN) {
        call->fd = SSL_FD_UNTRACED;
    }
    return 1;
}

static __always_inline int enter_ssl_call(__u64 ssl, __u64 buffer, __u64 length_out, __u8 direction) {
    if (probe_only)
        return 0;
    struct sonde_config *cfg = config();
    struct task_struct *task = current_task();
    if (!cfg || !process_selected(cfg, task))
        return 0;
    struct thread_calls *thread = calls_of(task, 1);
    if (!thread)
        return 0;
    thread->ssl = (struct ssl_call){
        .ssl = ssl,
        .buffer = buffer,
        .length_out = length_out,
        .entry_ns = bpf_ktime_get_ns(),
        .fd = SSL_FD_NOT_SEEN,
        .direction = direction,
    };
    return 0;
}

/* A session for `key` starting over at offset 0. */
static __always_inline struct tls_session *reset_tls_session(struct tls_session_key *key, __s32 fd,
                                                             __u32 generation) {
    struct tls_session session = {.fd = fd, .generation = generation};
    bpf_map_update_elem(&sonde_tls_sessions, key, &session, BPF_ANY);
    return bpf_map_lookup_elem(&sonde_tls_sessions, key);
}

/* The session of `call`'s SSL object, bound to the connection the plaintext belongs to; NULL when the
 * plaintext is not to be reported (an untraced connection, or one the port filter cannot judge). */
static __always_inline struct tls_session *tls_session_of(struct sonde_config *cfg, __u64 pid_tgid,
                                                         struct ssl_call *call) {
    struct tls_session_key key = {.tgid = pid_tgid >> 32, .ssl = call->ssl};
    struct tls_session *session = bpf_map_lookup_elem(&sonde_tls_sessions, &key);
    if (call->fd == SSL_FD_UNTRACED)
        return 0;
    if (call->fd >= 0) {
        /* Named just now by a nested syscall: authoritative, even for an SSL object reused by a new
         * connection. */
        struct connection_key connection = {.tgid = key.tgid, .fd = call->fd};
        struct connection_state *state = bpf_map_lookup_elem(&sonde_connections, &connection);
        if (!state || !state->traced)
            return 0;
        if (session && session->fd == call->fd && session->generation == state->generation)
            return session;
        return reset_tls_session(&key, call->fd, state->generation);
    }
    if (session && session->fd >= 0) {
        /* Remembered from an earlier call: valid while that connection is still the fd's. */
        struct connection_key connection = {.tgid = key.tgid, .fd = session->fd};
        struct connection_state *state = bpf_map_lookup_elem(&sonde_connections, &connection);
        if (state && state->generation == session->generation)
            return state->traced ? session : 0;
        session = 0;
    }
    if (cfg->filter_port)
        return 0;
    if (session)
        return session;
    return reset_tls_session(&key, SONDE_FD_UNKNOWN, __sync_fetch_and_add(&next_generation, 1) + 1);
}

static __always_inline int exit_ssl_call(struct pt_regs *ctx, int returns_length) {
    if (probe_only)
        return 0;
    struct task_struct *task = current_task();
    struct thread_calls *thread = calls_of(task, 0);
    if (!thread || !thread->ssl.ssl)
        return 0;
    struct ssl_call call = thread->ssl;
    thread->ssl.ssl = 0;
    int ret = (int)PT_REGS_RC(ctx); /* every probed function returns int: the upper half is not ours */
    __u64 size = 0;
    if (returns_length) {
        size = ret > 0 ? ret : 0;
    } else if (ret == 1 && call.length_out) {
        bpf_probe_read_user(&size, sizeof(size), (void *)call.length_out);
    }
    struct sonde_config *cfg = config();
    if (!size || !cfg)
        return 0;
    __u64 pid_tgid = pid_tgid_of(task);
    struct tls_session *session = tls_session_of(cfg, pid_tgid, &call);
    if (!session)
        return 0;
    __u8 direction = call.direction & 1;
    struct event_scratch *scratch = start_data_event(pid_tgid, session->fd, session->generation, direction,
                                                     SONDE_DATA_TLS, call.entry_ns);
    if (!scratch)
        return 0;
    scratch->event.size = size;
    scratch->event.offset = __sync_fetch_and_add(&session->offset[direction], size);
    __u32 limit = capture_limit(cfg, size);
    __u32 captured = 0;
    if (bpf_probe_read_user(scratch->payload, limit, (void *)call.buffer) == 0)
        captured = limit;
    submit_data_event(scratch, captured);
    return 0;
}

/* int SSL_write(SSL *ssl, const void *buf, int num) */
SEC("uprobe")
int BPF_KPROBE(ssl_enter_write, void *ssl, const void *buf) {
    return enter_ssl_call((__u64)ssl, (__u64)buf, 0, SONDE_EGRESS);
}

/* int SSL_read(SSL *ssl, void *buf, int num) */
SEC("uprobe")
int BPF_KPROBE(ssl_enter_read, void *ssl, void *buf) {
    return enter_ssl_call((__u64)ssl, (__u64)buf, 0, SONDE_INGRESS);
}

/* int SSL_write_ex(SSL *ssl, const void *buf, size_t num, size_t *written) */
SEC("uprobe")
int BPF_KPROBE(ssl_enter_write_ex, void *ssl, const void *buf, __u64 num, __u64 *written) {
    return enter_ssl_call((__u64)ssl, (__u64)buf, (__u64)written, SONDE_EGRESS);
}

/* int SSL_read_ex(SSL *ssl, void *buf, size_t num, size_t *readbytes) */
SEC("uprobe")
int BPF_KPROBE(ssl_enter_read_ex, void *ssl, void *buf, __u64 num, __u64 *readbytes) {
    return enter_ssl_call((__u64)ssl, (__u64)buf, (__u64)readbytes, SONDE_INGRESS);
}

/* SSL_read and SSL_write return the byte count. */
SEC("uretprobe")
int BPF_KRETPROBE(ssl_exit) {
    return exit_ssl_call(ctx, 1);
}

/* SSL_read_ex and SSL_write_ex return 1 and write the byte count through their fourth argument. */
SEC("uretprobe")
int BPF_KRETPROBE(ssl_exit_ex) {
    return exit_ssl_call(ctx, 0);
}

#endif
