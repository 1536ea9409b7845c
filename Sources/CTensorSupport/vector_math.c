// Vectorisable float32 exp, tanh and sigmoid. Every loop body is branch-free (selects only), so
// the compiler turns it into SIMD code; target_clones builds AVX-512, AVX2 and baseline versions
// and the loader picks the best the CPU has.
#include "CTensorSupport.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__clang__)
#define TD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TD_CLONES
#endif

static inline float td_bits_to_float(int32_t b) {
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

// exp(x) for x in [-103, 88.72]: x = n·ln2 + r, |r| <= ln2/2, e^r by a degree-7 Taylor
// polynomial (truncation < 6e-9 relative), 2^n applied as two factors so that n = -149…128
// (subnormal results included) never overflows the exponent field.
static inline float td_exp_core(float x) {
    const float magic = 12582912.0f;  // 1.5·2^23: adding it rounds to an integer
    x = x < -103.0f ? -103.0f : x;
    x = x > 88.7228f ? 88.7228f : x;
    float n = (x * 1.44269504088896341f + magic) - magic;
    float r = x - n * 0.693145751953125f;  // ln2 split so that n·hi is exact
    r = r - n * 1.428606765330187045e-06f;
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    int32_t ni = (int32_t)n;
    int32_t n1 = ni / 2, n2 = ni - n1;
    return p * td_bits_to_float((n1 + 127) << 23) * td_bits_to_float((n2 + 127) << 23);
}

TD_CLONES void td_exp_f32(const float *restrict x, float *restrict y, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        float e = td_exp_core(v);
        e = v > 88.7228f ? INFINITY : e;
        e = v < -103.9f ? 0.0f : e;
        y[i] = v != v ? v : e;
    }
}

TD_CLONES void td_sigmoid_f32(const float *restrict x, float *restrict y, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        float e = td_exp_core(-v);
        e = v < -88.7228f ? INFINITY : e;
        float s = 1.0f / (1.0f + e);
        y[i] = v != v ? v : s;
    }
}

// tanh(x): for |x| >= 0.45, 1 − 2/(e^{2|x|} + 1) with the sign of x (little cancellation there,
// tanh > 0.42); below, e/(e + 2) with e = expm1(2x) from its series to the 11th power, whose
// truncation is under 1e-8 relative for |2x| < 0.9.
TD_CLONES void td_tanh_f32(const float *restrict x, float *restrict y, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        float v = x[i];
        float a = fabsf(v);
        float big = 1.0f - 2.0f / (td_exp_core(2.0f * a) + 1.0f);
        big = v < 0 ? -big : big;
        float z = 2.0f * v;
        float q = 1.0f / 39916800.0f;
        q = q * z + 1.0f / 3628800.0f;
        q = q * z + 1.0f / 362880.0f;
        q = q * z + 1.0f / 40320.0f;
        q = q * z + 1.0f / 5040.0f;
        q = q * z + 1.0f / 720.0f;
        q = q * z + 1.0f / 120.0f;
        q = q * z + 1.0f / 24.0f;
        q = q * z + 1.0f / 6.0f;
        q = q * z + 0.5f;
        q = q * z + 1.0f;
        float e = q * z;
        float small = e / (e + 2.0f);
        float t = a < 0.45f ? small : big;
        y[i] = v != v ? v : t;
    }
}
