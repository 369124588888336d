/* Events and configuration shared by the BPF program (bpf/sonde.bpf.c) and Sonde's Swift side.
 * Fixed-width kernel types only; every struct is packed by hand (explicit padding) so both compilers
 * agree on the layout. Checked by Sources/SondeABI/layout.c. */
#ifndef SONDE_EVENTS_H
#define SONDE_EVENTS_H

#include <linux/types.h>

/* Largest payload one data event can carry (power of two). */
#define SONDE_MAX_CAPTURE 32768
/* Default payload captured per call. */
#define SONDE_DEFAULT_CAPTURE 16384
/* Longest executable name the in-kernel filter compares (the kernel's comm length). */
#define SONDE_COMM_LEN 16

enum sonde_event_kind {
    SONDE_EVENT_DATA = 1,
    SONDE_EVENT_OPEN = 2,
    SONDE_EVENT_CLOSE = 3,
    SONDE_EVENT_EXEC = 4, /* a process executed a new program (header only; fd and generation are 0) */
    SONDE_EVENT_EXIT = 5, /* a process exited (header only; fd and generation are 0) */
    SONDE_EVENT_FORK = 6, /* a selected process forked a new one, named by tgid and tid (header only) */
};

/* sonde_data_event.flags */
enum sonde_data_flags {
    /* Plaintext captured inside the TLS library (SSL_read/SSL_write), not bytes of a socket call. Its
     * offsets count plaintext bytes of the TLS session. */
    SONDE_DATA_TLS = 1,
};

/* The fd of TLS plaintext whose socket was never learned: the event's generation then names the TLS
 * session (the SSL object), unique among such sessions, and no socket event shares that connection. */
#define SONDE_FD_UNKNOWN (-1)

enum sonde_direction {
    SONDE_EGRESS = 0,  /* written or sent by the traced process */
    SONDE_INGRESS = 1, /* read or received by the traced process */
};

enum sonde_role {
    SONDE_ROLE_UNKNOWN = 0, /* first seen on a read or write: opened before Sonde started */
    SONDE_ROLE_CLIENT = 1,  /* connect() */
    SONDE_ROLE_SERVER = 2,  /* accept() / accept4() */
};

/* Common head of every event in the ring buffer. */
struct sonde_event_header {
    __u32 kind;         /* enum sonde_event_kind */
    __u32 tgid;         /* process id */
    __u32 tid;          /* thread id */
    __s32 fd;
    __u32 generation;   /* distinguishes successive connections on one fd */
    __u32 reserved;
    __u64 timestamp_ns; /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
};

/* SONDE_EVENT_OPEN: a TCP connection came into view. Addresses are IPv6 (IPv4 as v4-mapped). */
struct sonde_connection_event {
    struct sonde_event_header header;
    __u8 role;           /* enum sonde_role */
    __u8 family;         /* AF_INET or AF_INET6 of the socket */
    __u16 local_port;    /* host byte order */
    __u16 remote_port;   /* host byte order */
    __u16 reserved;
    __u8 local_addr[16];
    __u8 remote_addr[16];
    char comm[SONDE_COMM_LEN];
    /* When the process started: the kernel's start_boottime of its group leader, nanoseconds after boot
     * (what /proc/PID/stat's starttime counts in clock ticks). Known even once the process has exited. */
    __u64 process_start_ns;
};

/* SONDE_EVENT_CLOSE: the connection's fd was closed. */
struct sonde_close_event {
    struct sonde_event_header header;
};

/* SONDE_EVENT_DATA: one call moved bytes; `captured` of its `size` bytes follow the struct. */
struct sonde_data_event {
    struct sonde_event_header header;
    __u8 direction;      /* enum sonde_direction */
    __u8 flags;          /* enum sonde_data_flags */
    __u8 reserved[2];
    __u32 captured;      /* payload bytes that follow (<= size, <= SONDE_MAX_CAPTURE) */
    __u64 size;          /* bytes the call really moved */
    __u64 offset;        /* position of the first byte in this direction's stream */
    /* followed by `captured` payload bytes */
};

/* The single entry of the `sonde_config` array map, written by user space before attaching. */
struct sonde_config {
    __u32 self_tgid;     /* never traced */
    __u32 filter_tgid;   /* 0: every process */
    __u32 capture_size;  /* payload bytes captured per call, <= SONDE_MAX_CAPTURE */
    __u16 filter_port;   /* 0: every port; else local or remote port must match */
    __u16 reserved;
    char filter_comm[SONDE_COMM_LEN]; /* empty: every executable */
};

#endif
