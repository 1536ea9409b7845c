// What the processor can do (CPUID), for choosing BLAS kernels.
#include "CTensorSupport.h"
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

td_cpu_info td_cpu(void) {
    td_cpu_info info;
    memset(&info, 0, sizeof info);
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return info;
    unsigned max = a;
    memcpy(info.vendor, &b, 4);
    memcpy(info.vendor + 4, &d, 4);
    memcpy(info.vendor + 8, &c, 4);
    __get_cpuid(1, &a, &b, &c, &d);
    unsigned family = (a >> 8) & 0xF, model = (a >> 4) & 0xF;
    if (family == 0xF) family += (a >> 20) & 0xFF;
    if (family == 0x6 || family >= 0xF) model += ((a >> 16) & 0xF) << 4;
    info.family = (int)family;
    info.model = (int)model;
    int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    // The OS must save the wide registers too (XCR0): YMM for AVX2, ZMM and masks for AVX-512.
    unsigned long long xcr0 = 0;
    if (osxsave) {
        unsigned lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = ((unsigned long long)hi << 32) | lo;
    }
    int ymm = (xcr0 & 0x6) == 0x6, zmm = (xcr0 & 0xE6) == 0xE6;
    if (max >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        info.avx2 = avx && ymm && fma && ((b >> 5) & 1);
        // F, DQ, CD, BW, VL: what OpenBLAS's SkylakeX kernels use.
        info.avx512 = info.avx2 && zmm && ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 28) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1);
    }
    if (__get_cpuid(0x80000000, &a, &b, &c, &d) && a >= 0x80000004) {
        for (unsigned i = 0; i < 3; i++) {
            __get_cpuid(0x80000002 + i, &a, &b, &c, &d);
            memcpy(info.brand + 16 * i, &a, 4);
            memcpy(info.brand + 16 * i + 4, &b, 4);
            memcpy(info.brand + 16 * i + 8, &c, 4);
            memcpy(info.brand + 16 * i + 12, &d, 4);
        }
    }
#endif
    return info;
}
