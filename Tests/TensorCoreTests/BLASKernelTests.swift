import Testing

@testable import TensorCore

private let xeon = BLASKernel.CPU(
    vendor: "GenuineIntel", brand: "Intel Xeon", family: 6, model: 207, avx2: true, avx512: true)
private let zen3 = BLASKernel.CPU(
    vendor: "AuthenticAMD", brand: "AMD EPYC", family: 25, model: 1, avx2: true, avx512: false)
private let old = BLASKernel.CPU(
    vendor: "GenuineIntel", brand: "Intel Core 2", family: 6, model: 23, avx2: false, avx512: false)

/// A fallback kernel on a processor that can run better ones is replaced; a fitting kernel,
/// or a processor without AVX2, is left alone.
@Test func fallbackKernelsAreReplacedByWhatTheProcessorRuns() {
    #expect(BLASKernel.replacement(for: "Prescott", on: xeon) == "SkylakeX")
    #expect(BLASKernel.replacement(for: "Sandybridge", on: xeon) == "SkylakeX")
    #expect(BLASKernel.replacement(for: "Prescott", on: zen3) == "Zen")
    var intelAVX2 = zen3
    intelAVX2.vendor = "GenuineIntel"
    #expect(BLASKernel.replacement(for: "Nehalem", on: intelAVX2) == "Haswell")
    #expect(BLASKernel.replacement(for: "Prescott", on: old) == nil)
    for fitting in ["SkylakeX", "Cooperlake", "Haswell", "Zen", "SapphireRapids"] {
        #expect(BLASKernel.replacement(for: fitting, on: xeon) == nil)
    }
}

/// The user's own OPENBLAS_CORETYPE is honoured; the re-executed process knows it switched.
@Test func theUsersKernelChoiceIsHonoured() {
    #expect(BLASKernel.decide(environment: [:], core: "Prescott", cpu: xeon) == .switchTo("SkylakeX"))
    #expect(BLASKernel.decide(environment: ["OPENBLAS_CORETYPE": "Prescott"], core: "Prescott", cpu: xeon) == .keep)
    #expect(
        BLASKernel.decide(
            environment: ["OPENBLAS_CORETYPE": "SkylakeX", BLASKernel.fallbackVariable: "Prescott"], core: "SkylakeX",
            cpu: xeon)
            == .switched(from: "Prescott", to: "SkylakeX"))
    #expect(BLASKernel.decide(environment: [:], core: "SkylakeX", cpu: xeon) == .keep)
}

/// This machine: OpenBLAS names its kernels and CPUID answers.
@Test func thisMachineReportsItsKernelAndProcessor() {
    #expect(!BLASKernel.coreName.isEmpty)
    let cpu = BLASKernel.CPU.current
    #if arch(x86_64)
        #expect(!cpu.vendor.isEmpty && cpu.family > 0)
        #expect(!cpu.avx512 || cpu.avx2)
    #endif
}
