// Direct float32 convolution, stride 1, for LeNet's layers: im2col copies every pixel kh·kw
// times to feed a product whose small sides (6 or 16 filters, 25 or 150 taps) keep BLAS far
// below its peak, and the input gradient's col2im adds the copies back one by one. Here a
// zero-padded copy of one image stays in L1 and each output row is computed 16 columns at a
// time, all filters of a block at once (their sums in registers), with the compiler's vector
// extensions; target_clones builds AVX-512, AVX2 and baseline versions and the loader picks
// the best the CPU has. The input gradient is the same forward kernel run on the output
// gradient with the filters flipped and transposed (a "full" correlation). Rows whose width is
// not a multiple of 16 waste lanes there (LeNet's second layer: 10 outputs a row, 10 of 16
// lanes busy); when the filters come in sixteens the kernels put the filters in the lanes
// instead (one vector: one position's sums for 16 filters), and every lane works.
#include "CTensorSupport.h"
#include <string.h>

#if defined(__x86_64__) && defined(__clang__)
#define TD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TD_CLONES
#endif

#define TD_SEGMENT 16
#define TD_FILTER_BLOCK 6
typedef float td_v16 __attribute__((vector_size(TD_SEGMENT * sizeof(float))));

// An unaligned load of 16 floats (a macro: a function returning a 64-byte vector would
// change the ABI between the clones).
#define TD_LOAD16(v, p) memcpy(&(v), (p), sizeof(td_v16))

// n floats from src to dst in moves of a constant size (16, 8, 4, 2, 1), inlined: the rows
// copied here are 10–28 floats, for which a call to the C library's memcpy costs more than
// the copy.
#if defined(__has_builtin)
#if __has_builtin(__builtin_memcpy_inline)
#define TD_MOVE(d, s, bytes) __builtin_memcpy_inline((d), (s), (bytes))
#endif
#endif
#ifndef TD_MOVE
#define TD_MOVE(d, s, bytes) memcpy((d), (s), (bytes))
#endif
static inline void td_copy_floats(float *restrict dst, const float *restrict src, int64_t n) {
    for (; n >= 16; n -= 16, dst += 16, src += 16) TD_MOVE(dst, src, 16 * sizeof(float));
    if (n & 8) { TD_MOVE(dst, src, 8 * sizeof(float)); dst += 8; src += 8; }
    if (n & 4) { TD_MOVE(dst, src, 4 * sizeof(float)); dst += 4; src += 4; }
    if (n & 2) { TD_MOVE(dst, src, 2 * sizeof(float)); dst += 2; src += 2; }
    if (n & 1) *dst = *src;
}

static inline void td_zero_floats(float *dst, int64_t n) {
    static const float zeros[16] = {0};
    for (; n >= 16; n -= 16, dst += 16) TD_MOVE(dst, zeros, 16 * sizeof(float));
    td_copy_floats(dst, zeros, n);
}

typedef struct {
    int64_t oh, ow, segments, stride, rows;
    int64_t top, bottom;  // the padded image's first row of the image and first zero row below it
} td_conv_geometry;

// The kernel rows i0 ≤ i < i1 that meet the image (not its zero padding) for output row oy.
#define TD_IMAGE_ROWS(g, kh, oy, i0, i1) \
    int64_t i0 = (g).top > (oy) ? (g).top - (oy) : 0, i1 = (g).bottom - (oy) < (kh) ? (g).bottom - (oy) : (kh)

static td_conv_geometry td_conv_shape(int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t ph, int64_t pw) {
    td_conv_geometry g;
    g.oh = h + 2 * ph - kh + 1;
    g.ow = w + 2 * pw - kw + 1;
    g.segments = (g.ow + TD_SEGMENT - 1) / TD_SEGMENT;
    g.stride = g.segments * TD_SEGMENT + kw - 1;  // >= w + 2·pw: whole segments read inside a row
    g.rows = h + 2 * ph;
    g.top = ph;
    g.bottom = ph + h;
    return g;
}

// The padded image, then the output gradient as the weight gradient reads it: in whole
// segments with zero rows around (columns in the lanes) or position-major (filters in the lanes).
int64_t td_conv_scratch_count(int64_t c, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t ph, int64_t pw) {
    td_conv_geometry g = td_conv_shape(h, w, kh, kw, ph, pw);
    int64_t segmented = (g.oh + 2 * (kh - 1)) * g.segments * TD_SEGMENT, positional = g.oh * g.ow * TD_SEGMENT;
    return c * g.rows * g.stride + TD_SEGMENT + (segmented > positional ? segmented : positional);
}

// Filters in the lanes: 16 filters at a time, for filter counts that are multiples of 16 on
// rows the 16-column segments do not fill.
#define TD_POSITION_BLOCK 14
#define TD_TAP_BLOCK 13
static int td_conv_filters_in_lanes(int64_t f, int64_t ow) { return f % TD_SEGMENT == 0 && ow % TD_SEGMENT != 0; }
#define TD_INLINE static inline __attribute__((always_inline))

// The size of block b when `total` items are cut into `blocks` blocks as even as they go.
static inline int td_even_block(int64_t total, int64_t blocks, int64_t b) {
    return (int)(total / blocks + (b < total % blocks ? 1 : 0));
}

// nb neighbouring positions ox0 … ox0 + nb − 1 of output row oy for the 16 filters of the
// transposed kernels kt [taps, 16]: nb sums in registers (nb is a constant at every call, so
// the loops over it unroll), then written to the filters' rows y + q·ldy.
TD_INLINE void td_conv_forward_positions(
    const float *pad, int64_t c, int64_t kh, int64_t kw, td_conv_geometry g, int64_t oy, int64_t ox0,
    const float *kt, float *y, int64_t ldy, int nb) {
    td_v16 acc[TD_POSITION_BLOCK];
    for (int b = 0; b < nb; b++) acc[b] = (td_v16){0};
    TD_IMAGE_ROWS(g, kh, oy, i0, i1);
    for (int64_t ch = 0; ch < c; ch++) {
        for (int64_t i = i0; i < i1; i++) {
            const float *row = pad + (ch * g.rows + oy + i) * g.stride + ox0;
            const float *kv = kt + (ch * kh + i) * kw * TD_SEGMENT;
            for (int64_t j = 0; j < kw; j++, kv += TD_SEGMENT) {
                td_v16 v;
                TD_LOAD16(v, kv);
                for (int b = 0; b < nb; b++) acc[b] += v * row[j + b];
            }
        }
    }
    float *out = y + oy * g.ow + ox0;
    for (int q = 0; q < TD_SEGMENT; q++)
        for (int b = 0; b < nb; b++) out[q * ldy + b] = acc[b][q];
}

#define TD_FORWARD_POSITIONS(n) \
    case n: td_conv_forward_positions(pad, c, kh, kw, g, oy, ox0, kt, yb, ldy, n); break;

TD_INLINE void td_conv_forward_filters(
    const float *pad, int64_t c, const float *k, int64_t f, int64_t kh, int64_t kw, td_conv_geometry g, float *y,
    int64_t ldy) {
    int64_t taps = c * kh * kw;
    float kt[TD_CONV_MAX_TAPS * TD_SEGMENT];  // 16 filters' weights, tap-major
    // Each output row in blocks of at most 14 positions, as even as they go (10: one block).
    int64_t blocks = (g.ow + TD_POSITION_BLOCK - 1) / TD_POSITION_BLOCK;
    for (int64_t fb = 0; fb < f; fb += TD_SEGMENT) {
        for (int64_t t = 0; t < taps; t++)
            for (int q = 0; q < TD_SEGMENT; q++) kt[t * TD_SEGMENT + q] = k[(fb + q) * taps + t];
        float *yb = y + fb * ldy;
        for (int64_t oy = 0; oy < g.oh; oy++) {
            int64_t ox0 = 0;
            for (int64_t b = 0; b < blocks; b++) {
                int nb = td_even_block(g.ow, blocks, b);
                switch (nb) {
                    TD_FORWARD_POSITIONS(1) TD_FORWARD_POSITIONS(2) TD_FORWARD_POSITIONS(3)
                    TD_FORWARD_POSITIONS(4) TD_FORWARD_POSITIONS(5) TD_FORWARD_POSITIONS(6)
                    TD_FORWARD_POSITIONS(7) TD_FORWARD_POSITIONS(8) TD_FORWARD_POSITIONS(9)
                    TD_FORWARD_POSITIONS(10) TD_FORWARD_POSITIONS(11) TD_FORWARD_POSITIONS(12)
                    TD_FORWARD_POSITIONS(13) TD_FORWARD_POSITIONS(14)
                }
                ox0 += nb;
            }
        }
    }
}

// Taps t0 … t0 + nt − 1 (of a channel's kh·kw) of 16 filters' weight gradient: the output
// gradient gt position-major [oh·ow, 16] meets each tap's shifted input, nt sums in registers,
// added to lane 0 of each weight's 16 (lanes + q·filter for filter q of the block).
TD_INLINE void td_conv_weight_grad_taps(
    const float *plane, const float *gt, td_conv_geometry g, int64_t kw, int64_t t0, float *lanes, int64_t filter,
    int nt) {
    int64_t off[TD_TAP_BLOCK];
    for (int t = 0; t < nt; t++) off[t] = ((t0 + t) / kw) * g.stride + (t0 + t) % kw;
    td_v16 acc[TD_TAP_BLOCK];
    for (int t = 0; t < nt; t++) acc[t] = (td_v16){0};
    for (int64_t oy = 0; oy < g.oh; oy++) {
        const float *row = plane + oy * g.stride;
        const float *gr = gt + oy * g.ow * TD_SEGMENT;
        for (int64_t ox = 0; ox < g.ow; ox++) {
            td_v16 gv;
            TD_LOAD16(gv, gr + ox * TD_SEGMENT);
            for (int t = 0; t < nt; t++) acc[t] += gv * row[ox + off[t]];
        }
    }
    for (int t = 0; t < nt; t++)
        for (int q = 0; q < TD_SEGMENT; q++) lanes[q * filter + (t0 + t) * TD_SEGMENT] += acc[t][q];
}

#define TD_WEIGHT_GRAD_TAPS(n) \
    case n: td_conv_weight_grad_taps(plane, gt, g, kw, t0, d, filter, n); break;

TD_INLINE void td_conv_weight_grad_filters(
    const float *pad, int64_t c, const float *gy, int64_t ldg, int64_t f, int64_t kh, int64_t kw, td_conv_geometry g,
    float *lanes, float *gt) {
    int64_t positions = g.oh * g.ow, k2 = kh * kw, filter = c * k2 * TD_SEGMENT;
    int64_t blocks = (k2 + TD_TAP_BLOCK - 1) / TD_TAP_BLOCK;  // a 5 × 5 kernel: 13 + 12 taps
    for (int64_t fb = 0; fb < f; fb += TD_SEGMENT) {
        for (int64_t p = 0; p < positions; p++)
            for (int q = 0; q < TD_SEGMENT; q++) gt[p * TD_SEGMENT + q] = gy[(fb + q) * ldg + p];
        for (int64_t ch = 0; ch < c; ch++) {
            const float *plane = pad + ch * g.rows * g.stride;
            float *d = lanes + (fb * c + ch) * k2 * TD_SEGMENT;
            int64_t t0 = 0;
            for (int64_t b = 0; b < blocks; b++) {
                int nt = td_even_block(k2, blocks, b);
                switch (nt) {
                    TD_WEIGHT_GRAD_TAPS(1) TD_WEIGHT_GRAD_TAPS(2) TD_WEIGHT_GRAD_TAPS(3) TD_WEIGHT_GRAD_TAPS(4)
                    TD_WEIGHT_GRAD_TAPS(5) TD_WEIGHT_GRAD_TAPS(6) TD_WEIGHT_GRAD_TAPS(7) TD_WEIGHT_GRAD_TAPS(8)
                    TD_WEIGHT_GRAD_TAPS(9) TD_WEIGHT_GRAD_TAPS(10) TD_WEIGHT_GRAD_TAPS(11) TD_WEIGHT_GRAD_TAPS(12)
                    TD_WEIGHT_GRAD_TAPS(13)
                }
                t0 += nt;
            }
        }
    }
}

// Channel ch of x (at x + ch·ldx, rows of w) into plane ch of the scratch, zeros around it.
static void td_conv_pad(
    const float *x, int64_t c, int64_t ldx, int64_t h, int64_t w, int64_t ph, int64_t pw, td_conv_geometry g,
    float *pad) {
    // Zeros only around the image (its rows are copied over): the padding rows above and
    // below, each row's margins, and the slack after the last plane.
    for (int64_t ch = 0; ch < c; ch++) {
        float *plane = pad + ch * g.rows * g.stride;
        td_zero_floats(plane, ph * g.stride);
        for (int64_t r = 0; r < h; r++) {
            float *row = plane + (r + ph) * g.stride;
            td_zero_floats(row, pw);
            td_copy_floats(row + pw, x + ch * ldx + r * w, w);
            td_zero_floats(row + pw + w, g.stride - pw - w);
        }
        td_zero_floats(plane + (h + ph) * g.stride, (g.rows - h - ph) * g.stride);
    }
    td_zero_floats(pad + c * g.rows * g.stride, TD_SEGMENT);
}

TD_CLONES void td_conv_forward_f32(
    const float *x, int64_t c, int64_t ldx, int64_t h, int64_t w, const float *k, int64_t f, int64_t kh, int64_t kw,
    int64_t ph, int64_t pw, float *y, int64_t ldy, float *scratch) {
    td_conv_geometry g = td_conv_shape(h, w, kh, kw, ph, pw);
    td_conv_pad(x, c, ldx, h, w, ph, pw, g, scratch);
    if (td_conv_filters_in_lanes(f, g.ow)) {
        td_conv_forward_filters(scratch, c, k, f, kh, kw, g, y, ldy);
        return;
    }
    int64_t taps = c * kh * kw;
    float block[TD_CONV_MAX_TAPS * TD_FILTER_BLOCK];  // a block's weights, tap-major, zeros past its last filter
    for (int64_t fb = 0; fb < f; fb += TD_FILTER_BLOCK) {
        int64_t nb = f - fb < TD_FILTER_BLOCK ? f - fb : TD_FILTER_BLOCK;
        for (int64_t t = 0; t < taps; t++)
            for (int64_t q = 0; q < TD_FILTER_BLOCK; q++)
                block[t * TD_FILTER_BLOCK + q] = q < nb ? k[(fb + q) * taps + t] : 0;
        for (int64_t oy = 0; oy < g.oh; oy++) {
            // Kernel rows over the zero padding add nothing: the input gradient's "full"
            // correlation of LeNet's second layer (10 × 10 rows padded by 4) skips 2 of 7.
            TD_IMAGE_ROWS(g, kh, oy, i0, i1);
            for (int64_t s = 0; s < g.segments; s++) {
                // Six sums in registers (named, not an array, so that none lives in memory).
                td_v16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, a4 = {0}, a5 = {0};
                for (int64_t ch = 0; ch < c; ch++) {
                    for (int64_t i = i0; i < i1; i++) {
                        const float *row = scratch + (ch * g.rows + oy + i) * g.stride + s * TD_SEGMENT;
                        const float *wt = block + (ch * kh + i) * kw * TD_FILTER_BLOCK;
                        for (int64_t j = 0; j < kw; j++, wt += TD_FILTER_BLOCK) {
                            td_v16 v;
                            TD_LOAD16(v, row + j);
                            a0 += v * wt[0];
                            a1 += v * wt[1];
                            a2 += v * wt[2];
                            a3 += v * wt[3];
                            a4 += v * wt[4];
                            a5 += v * wt[5];
                        }
                    }
                }
                td_v16 sums[TD_FILTER_BLOCK] = {a0, a1, a2, a3, a4, a5};
                int64_t n = g.ow - s * TD_SEGMENT < TD_SEGMENT ? g.ow - s * TD_SEGMENT : TD_SEGMENT;
                for (int64_t q = 0; q < nb; q++)
                    td_copy_floats(y + (fb + q) * ldy + oy * g.ow + s * TD_SEGMENT, (const float *)&sums[q], n);
            }
        }
    }
}

void td_conv_sum_lanes_f32(const float *lanes, int64_t count, float *dw) {
    for (int64_t t = 0; t < count; t++) {
        float sum = 0;
        for (int l = 0; l < TD_SEGMENT; l++) sum += lanes[t * TD_SEGMENT + l];
        dw[t] += sum;
    }
}

// The 5 × 5 kernel's weight gradient for one filter and channel, added to its 25 lane
// vectors: padded input row r meets output-gradient rows r − i for the 5 taps i, so each
// row's 5 shifted loads serve 25 sums, all in registers (AVX-512 has 32).
static inline void td_conv_weight_grad_5x5(
    const float *plane, const float *grad, td_conv_geometry g, float *d) {
    td_v16 acc[25];
    for (int t = 0; t < 25; t++) acc[t] = (td_v16){0};
    for (int64_t r = 0; r < g.rows; r++) {
        for (int64_t s = 0; s < g.segments; s++) {
            const float *row = plane + r * g.stride + s * TD_SEGMENT;
            td_v16 v0, v1, v2, v3, v4;
            TD_LOAD16(v0, row);
            TD_LOAD16(v1, row + 1);
            TD_LOAD16(v2, row + 2);
            TD_LOAD16(v3, row + 3);
            TD_LOAD16(v4, row + 4);
            for (int i = 0; i < 5; i++) {
                // Output row r − i, which the zero rows around the gradient make valid for all r.
                td_v16 gv;
                TD_LOAD16(gv, grad + ((r - i + 4) * g.segments + s) * TD_SEGMENT);
                acc[i * 5 + 0] += gv * v0;
                acc[i * 5 + 1] += gv * v1;
                acc[i * 5 + 2] += gv * v2;
                acc[i * 5 + 3] += gv * v3;
                acc[i * 5 + 4] += gv * v4;
            }
        }
    }
    for (int t = 0; t < 25; t++) {
        td_v16 sum;
        TD_LOAD16(sum, d + t * TD_SEGMENT);
        sum += acc[t];
        memcpy(d + t * TD_SEGMENT, &sum, sizeof sum);
    }
}

TD_CLONES void td_conv_weight_grad_f32(
    const float *x, int64_t c, int64_t ldx, int64_t h, int64_t w, const float *gy, int64_t ldg, int64_t f, int64_t kh,
    int64_t kw, int64_t ph, int64_t pw, float *lanes, float *scratch) {
    td_conv_geometry g = td_conv_shape(h, w, kh, kw, ph, pw);
    td_conv_pad(x, c, ldx, h, w, ph, pw, g, scratch);
    if (td_conv_filters_in_lanes(f, g.ow)) {
        td_conv_weight_grad_filters(scratch, c, gy, ldg, f, kh, kw, g, lanes, scratch + c * g.rows * g.stride + TD_SEGMENT);
        return;
    }
    // One filter's output gradient in whole segments, zeros past each row's end (so the padded
    // input's extra columns are multiplied by zero) and kh − 1 zero rows above and below.
    int64_t line = g.segments * TD_SEGMENT;
    float *grad = scratch + c * g.rows * g.stride + TD_SEGMENT;
    memset(grad, 0, (size_t)((g.oh + 2 * (kh - 1)) * line) * sizeof(float));
    for (int64_t ff = 0; ff < f; ff++) {
        for (int64_t oy = 0; oy < g.oh; oy++)
            td_copy_floats(grad + (oy + kh - 1) * line, gy + ff * ldg + oy * g.ow, g.ow);
        for (int64_t ch = 0; ch < c; ch++) {
            const float *plane = scratch + ch * g.rows * g.stride;
            if (kh == 5 && kw == 5) {
                td_conv_weight_grad_5x5(plane, grad, g, lanes + (ff * c + ch) * 25 * TD_SEGMENT);
                continue;
            }
            for (int64_t i = 0; i < kh; i++) {
                // Four neighbouring taps at a time, their sums in registers; a block reaching past
                // the kernel reads at most 3 floats past a row (the next row, or the slack after
                // the last) into sums it drops.
                for (int64_t j0 = 0; j0 < kw; j0 += 4) {
                    td_v16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
                    for (int64_t oy = 0; oy < g.oh; oy++) {
                        const float *row = plane + (oy + i) * g.stride + j0;
                        const float *gr = grad + (oy + kh - 1) * line;
                        for (int64_t s = 0; s < g.segments; s++, row += TD_SEGMENT, gr += TD_SEGMENT) {
                            td_v16 gv, v0, v1, v2, v3;
                            TD_LOAD16(gv, gr);
                            TD_LOAD16(v0, row);
                            TD_LOAD16(v1, row + 1);
                            TD_LOAD16(v2, row + 2);
                            TD_LOAD16(v3, row + 3);
                            a0 += gv * v0;
                            a1 += gv * v1;
                            a2 += gv * v2;
                            a3 += gv * v3;
                        }
                    }
                    float *d = lanes + (((ff * c + ch) * kh + i) * kw + j0) * TD_SEGMENT;
                    int64_t n = kw - j0 < 4 ? kw - j0 : 4;
                    td_v16 sums[4] = {a0, a1, a2, a3};
                    for (int64_t q = 0; q < n; q++) {
                        td_v16 sum;
                        TD_LOAD16(sum, d + q * TD_SEGMENT);
                        sum += sums[q];
                        memcpy(d + q * TD_SEGMENT, &sum, sizeof sum);
                    }
                }
            }
        }
    }
}
