// The elementwise part of one LSTM step over n rows, float32, for `lstmSequence`'s forward
// and fused backward kernels. The same formulas, in the same order, as the Swift loops they
// replace (LSTMSequence.swift keeps those for float64); branch-free inner loops the compiler
// vectorises, built for AVX-512, AVX2 and baseline x86-64 (target_clones).
#include "CTensorSupport.h"
#include <stdint.h>

#if defined(__x86_64__) && defined(__clang__)
#define TD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TD_CLONES
#endif

TD_CLONES void td_lstm_memory_f32(
    const float *restrict act, const float *restrict c_prev, float *restrict c_new, int64_t n, int64_t h) {
    for (int64_t r = 0; r < n; r++) {
        const float *restrict a = act + r * 4 * h;
        const float *restrict cp = c_prev + r * h;
        float *restrict cn = c_new + r * h;
        for (int64_t j = 0; j < h; j++) cn[j] = a[j] * a[2 * h + j] + a[h + j] * cp[j];
    }
}

TD_CLONES void td_lstm_output_f32(
    const float *restrict act, const float *restrict tanh_c, const float *restrict c_new,
    const float *restrict h_prev, const float *restrict c_prev, const float *restrict masks, float *restrict h_out,
    float *restrict c_out, int64_t n, int64_t h) {
    for (int64_t r = 0; r < n; r++) {
        const float *restrict o = act + r * 4 * h + 3 * h;
        const int64_t k = r * h;
        if (masks) {
            // h + m (h̃ − h), as the composite writes it (not h̃ at m = 1 in floating point).
            const float m = masks[r];
            for (int64_t j = 0; j < h; j++) {
                h_out[k + j] = h_prev[k + j] + m * (o[j] * tanh_c[k + j] - h_prev[k + j]);
                c_out[k + j] = c_prev[k + j] + m * (c_new[k + j] - c_prev[k + j]);
            }
        } else {
            for (int64_t j = 0; j < h; j++) {
                h_out[k + j] = o[j] * tanh_c[k + j];
                c_out[k + j] = c_new[k + j];
            }
        }
    }
}

TD_CLONES void td_lstm_backward_step_f32(
    const float *restrict grad, const float *restrict act, const float *restrict tanh_c,
    const float *restrict c_prev, const float *restrict masks, float *restrict dh, float *restrict dc,
    float *restrict dz, int64_t n, int64_t h) {
    for (int64_t r = 0; r < n; r++) {
        // h_t = h_{t−1} + m (h̃ − h_{t−1}): h̃ gets m·dh, h_{t−1} keeps (1 − m)·dh; c alike.
        const float m = masks ? masks[r] : 1.0f;
        const float keep = 1.0f - m;
        const float *restrict a = act + r * 4 * h;
        float *restrict d = dz + r * 4 * h;
        const int64_t o = r * h;
        for (int64_t j = 0; j < h; j++) {
            const float dht = dh[o + j] + grad[o + j], dct = dc[o + j];
            const float dh_new = dht * m, dc_held = dct * m;
            const float i = a[j], f = a[h + j], g = a[2 * h + j], og = a[3 * h + j];
            const float tv = tanh_c[o + j];
            const float dc_new = dc_held + dh_new * og * (1 - tv * tv);
            d[j] = dc_new * g * i * (1 - i);
            d[h + j] = dc_new * c_prev[o + j] * f * (1 - f);
            d[2 * h + j] = dc_new * i * (1 - g * g);
            d[3 * h + j] = dh_new * tv * og * (1 - og);
            dc[o + j] = dct * keep + dc_new * f;
            dh[o + j] = dht * keep;
        }
    }
}
