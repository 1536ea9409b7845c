#include "CTensorSupport.h"
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/resource.h>

static _Thread_local int grad_enabled = 1;

int td_grad_enabled(void) { return grad_enabled; }
void td_set_grad_enabled(int enabled) { grad_enabled = enabled ? 1 : 0; }

static _Atomic int64_t live_buffers = 0;
static _Atomic int64_t live_bytes = 0;
static _Atomic int64_t peak_bytes = 0;
static _Thread_local int64_t thread_net_buffers = 0;

int64_t td_thread_net_buffers(void) { return thread_net_buffers; }

void td_storage_allocated(int64_t bytes) {
    thread_net_buffers += 1;
    atomic_fetch_add_explicit(&live_buffers, 1, memory_order_relaxed);
    int64_t now = atomic_fetch_add_explicit(&live_bytes, bytes, memory_order_relaxed) + bytes;
    int64_t peak = atomic_load_explicit(&peak_bytes, memory_order_relaxed);
    while (now > peak &&
           !atomic_compare_exchange_weak_explicit(&peak_bytes, &peak, now, memory_order_relaxed,
                                                  memory_order_relaxed)) {
    }
}

void td_storage_freed(int64_t bytes) {
    thread_net_buffers -= 1;
    atomic_fetch_sub_explicit(&live_buffers, 1, memory_order_relaxed);
    atomic_fetch_sub_explicit(&live_bytes, bytes, memory_order_relaxed);
}

int64_t td_live_buffers(void) { return atomic_load(&live_buffers); }
int64_t td_live_bytes(void) { return atomic_load(&live_bytes); }
int64_t td_peak_bytes(void) { return atomic_load(&peak_bytes); }
void td_reset_peak_bytes(void) { atomic_store(&peak_bytes, atomic_load(&live_bytes)); }

static _Atomic int64_t sequence = 0;
int64_t td_next_sequence(void) { return atomic_fetch_add_explicit(&sequence, 1, memory_order_relaxed) + 1; }

int64_t td_resident_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    long size = 0, resident = 0;
    int n = fscanf(f, "%ld %ld", &size, &resident);
    fclose(f);
    if (n != 2) return -1;
    return (int64_t)resident * (int64_t)sysconf(_SC_PAGESIZE);
}

int64_t td_peak_resident_bytes(void) {
    struct rusage u;
    if (getrusage(RUSAGE_SELF, &u) != 0) return -1;
    return (int64_t)u.ru_maxrss * 1024;
}

#include <malloc.h>

void td_tune_allocator(void) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_TOP_PAD, 64 << 20);
}

static _Thread_local int in_parallel_part = 0;
int td_in_parallel_part(void) { return in_parallel_part; }
void td_set_in_parallel_part(int inside) { in_parallel_part = inside ? 1 : 0; }

static _Thread_local int derivative_order = 0;
int td_derivative_order(void) { return derivative_order; }
void td_set_derivative_order(int order) { derivative_order = order; }

static volatile int profiling = 0;
int td_profiling(void) { return profiling; }
void td_set_profiling(int on) { profiling = on; }
