#ifndef CTENSORSUPPORT_H
#define CTENSORSUPPORT_H
#include <stdint.h>

/// Whether operations on this thread record the autodiff graph (1) or not (0).
/// Thread-local, so nets trained on separate threads never see each other's mode.
int td_grad_enabled(void);
void td_set_grad_enabled(int enabled);

/// Live tensor storage: buffers and bytes currently allocated, and the peak byte count.
/// Atomic, so they are exact across threads; the leak tests and benchmarks read them.
void td_storage_allocated(int64_t bytes);
void td_storage_freed(int64_t bytes);
int64_t td_live_buffers(void);
/// Buffers allocated minus buffers freed by the calling thread: exact for single-threaded
/// work even while other threads allocate.
int64_t td_thread_net_buffers(void);
int64_t td_live_bytes(void);
int64_t td_peak_bytes(void);
void td_reset_peak_bytes(void);

/// A process-wide, strictly increasing creation number for tensors. A tensor's history
/// holds only tensors with smaller numbers, which is what lets a gradient traversal stop early.
int64_t td_next_sequence(void);

/// Resident set size of this process in bytes (from /proc/self/statm), or -1.
int64_t td_resident_bytes(void);
/// Peak resident set size in bytes (getrusage ru_maxrss), or -1.
int64_t td_peak_resident_bytes(void);

/// Keeps freed blocks up to 32 MiB on the heap (mmap threshold) and trims it only above 1 GiB
/// free, so buffers reallocated every iteration are reused instead of page-faulted in again.
void td_tune_allocator(void);

/// Float32 exp, tanh and sigmoid over arrays, vectorised (AVX-512, AVX2 or SSE2 chosen at
/// load time): exp by range reduction to [-ln2/2, ln2/2] and a degree-7 polynomial; tanh
/// through exp for |x| >= 0.45 and an expm1 series below (no cancellation near 0). Relative
/// error at most 4 ulp (tested against Double libm over a dense sweep).
void td_exp_f32(const float *x, float *y, int64_t n);
void td_tanh_f32(const float *x, float *y, int64_t n);
void td_sigmoid_f32(const float *x, float *y, int64_t n);

/// One LSTM step's elementwise work over n rows (gates i, f, g, o of width h in each row of
/// act [n, 4h], already activated), float32. Memory: c̃ = i·g + f·c_{t−1}. Output, given
/// tanh(c̃): h_t = o·tanh(c̃) and c_t = c̃, or with masks [n] (1 inside a text, 0 after it)
/// h_t = h_{t−1} + m (o·tanh(c̃) − h_{t−1}) and c_t alike. Backward: with the incoming gradient
/// of h_t added to dh, writes the gate gradients dz [n, 4h] and leaves in dh and dc the parts
/// of the state gradients that pass the step (the recurrent product dz·W is the caller's).
void td_lstm_memory_f32(const float *act, const float *c_prev, float *c_new, int64_t n, int64_t h);
void td_lstm_output_f32(
    const float *act, const float *tanh_c, const float *c_new, const float *h_prev, const float *c_prev,
    const float *masks, float *h_out, float *c_out, int64_t n, int64_t h);
void td_lstm_backward_step_f32(
    const float *grad, const float *act, const float *tanh_c, const float *c_prev, const float *masks, float *dh,
    float *dc, float *dz, int64_t n, int64_t h);

/// Direct float32 convolution of one image, stride 1, zero padding (ph, pw): input channel ch
/// is the h × w plane at x + ch·ldx, kernels k [f, c, kh, kw] with c·kh·kw <= TD_CONV_MAX_TAPS,
/// and the response of filter q goes to y + q·ldy ([oh, ow], row-major). `scratch` holds
/// td_conv_scratch_count(…) floats (the padded image).
#define TD_CONV_MAX_TAPS 512
int64_t td_conv_scratch_count(int64_t c, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t ph, int64_t pw);
void td_conv_forward_f32(
    const float *x, int64_t c, int64_t ldx, int64_t h, int64_t w, const float *k, int64_t f, int64_t kh, int64_t kw,
    int64_t ph, int64_t pw, float *y, int64_t ldy, float *scratch);
/// The weight gradient of the same convolution for the output gradient rows gy + q·ldg, as
/// 16 partial sums per weight added to lanes [f·c·kh·kw, 16] (summing the lanes once per many
/// images, with td_conv_sum_lanes_f32, instead of once per image).
void td_conv_weight_grad_f32(
    const float *x, int64_t c, int64_t ldx, int64_t h, int64_t w, const float *gy, int64_t ldg, int64_t f, int64_t kh,
    int64_t kw, int64_t ph, int64_t pw, float *lanes, float *scratch);
/// dw[t] += the sum of lanes[t, 0..<16] for t < count.
void td_conv_sum_lanes_f32(const float *lanes, int64_t count, float *dw);

/// The processor: vendor ("GenuineIntel", "AuthenticAMD"), family and model as the OS shows
/// them, the brand string, and whether AVX2 + FMA and AVX-512 (F, DQ, CD, BW, VL) can run
/// (CPUID and the OS's saved register state). All zero on other architectures.
typedef struct {
    char vendor[13];
    char brand[49];
    int family;
    int model;
    int avx2;
    int avx512;
} td_cpu_info;
td_cpu_info td_cpu(void);

/// The derivative order of the ops running on this thread: 0 in a forward pass, n + 1 inside
/// the backward rule of an op recorded at order n (so 2 is a backward of a backward).
int td_derivative_order(void);
void td_set_derivative_order(int order);

/// Whether this thread is running a part of a parallel loop (nested loops then run inline).
int td_in_parallel_part(void);
void td_set_in_parallel_part(int inside);

/// Whether ops report to the profiler (process-wide; for single-threaded measurements).
int td_profiling(void);
void td_set_profiling(int on);

#endif
