import COpenBLAS
import CTensorSupport
import Foundation

/// Which OpenBLAS kernels run, and the choice made when OpenBLAS does not know the processor.
///
/// Debian's OpenBLAS 0.3.21 picks its kernels when it loads, from the CPU model. On a model it
/// does not know (e.g. Intel family 6 model 207, an AVX-512 Xeon) it falls back to its SSE3
/// "Prescott" kernels, 2–3× slower, and says nothing. OpenBLAS reads `OPENBLAS_CORETYPE` only
/// when it loads, so the choice has to be made before the process starts: `textdistill`
/// re-executes itself once with the variable set (`switchIfFallback`). A user's own
/// `OPENBLAS_CORETYPE` is always honoured.
public enum BLASKernel {
    /// The processor as CPUID shows it.
    public struct CPU: Equatable, Sendable {
        public var vendor: String
        public var brand: String
        public var family: Int
        public var model: Int
        public var avx2: Bool
        public var avx512: Bool

        /// - Parameters:
        ///   - vendor: the CPUID vendor string.
        ///   - brand: the CPUID brand string.
        ///   - family: the display family.
        ///   - model: the display model.
        ///   - avx2: AVX2 and FMA are usable.
        ///   - avx512: AVX-512 F, DQ, CD, BW and VL are usable.
        public init(vendor: String, brand: String, family: Int, model: Int, avx2: Bool, avx512: Bool) {
            (self.vendor, self.brand, self.family, self.model, self.avx2, self.avx512) = (
                vendor, brand, family, model, avx2, avx512
            )
        }

        /// This machine's processor.
        public static var current: CPU {
            var info = td_cpu()
            let vendor = withUnsafeBytes(of: &info.vendor) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let brand = withUnsafeBytes(of: &info.brand) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return CPU(
                vendor: vendor, brand: brand.trimmingCharacters(in: .whitespaces), family: Int(info.family),
                model: Int(info.model),
                avx2: info.avx2 != 0, avx512: info.avx512 != 0)
        }

        /// "AMD EPYC 9R14 (family 25, model 17, AVX-512)".
        public var summary: String {
            "\(brand.isEmpty ? vendor : brand) (family \(family), model \(model), "
                + (avx512 ? "AVX-512" : avx2 ? "AVX2" : "no AVX2") + ")"
        }
    }

    /// The kernel set OpenBLAS runs now ("SkylakeX", "Haswell", "Prescott", …).
    public static var coreName: String {
        openblas_get_corename().map { String(cString: $0) }?.trimmingCharacters(in: .whitespaces) ?? "unknown"
    }

    /// OpenBLAS's generic kernel sets: what it falls back to on a processor it does not know.
    /// (SSE-only cores, and Sandybridge's AVX-without-FMA kernels.)
    public static let fallbackCores: Set<String> = [
        "Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Coppermine", "Northwood", "Banias",
        "Athlon", "Opteron", "Opteron_SSE3", "Barcelona", "Bobcat", "Sandybridge", "Generic", "Unknown", "unknown",
    ]

    /// The kernel set to run instead of `core` on `cpu`, or nil when `core` is right (or when
    /// nothing better can run): SkylakeX with AVX-512, Haswell (Intel) or Zen (AMD) with AVX2.
    ///
    /// - Parameters:
    ///   - core: OpenBLAS's kernel set.
    ///   - cpu: the processor.
    /// - Returns: the kernel set to use instead, or nil when `core` is right for `cpu`.
    public static func replacement(for core: String, on cpu: CPU) -> String? {
        guard fallbackCores.contains(core) else { return nil }
        if cpu.avx512 { return "SkylakeX" }
        if cpu.avx2 { return cpu.vendor == "AuthenticAMD" ? "Zen" : "Haswell" }
        return nil
    }

    /// Set in the re-executed process: the kernel set OpenBLAS had picked by itself.
    public static let fallbackVariable = "TEXTDISTILL_BLAS_FALLBACK"

    /// What `switchIfFallback` decided.
    public enum Decision: Equatable, Sendable {
        /// Nothing to do: the kernels fit, or the user chose them.
        case keep
        /// Re-execute with `OPENBLAS_CORETYPE` = the replacement.
        case switchTo(String)
        /// This process is the re-executed one: OpenBLAS had picked `from`, it now runs `to`.
        case switched(from: String, to: String)
    }

    /// The decision for an environment, the kernels running and the processor (pure, for tests).
    ///
    /// - Parameters:
    ///   - environment: the process's environment.
    ///   - core: OpenBLAS's kernel set.
    ///   - cpu: the processor.
    /// - Returns: keep, or re-execute with a replacement.
    public static func decide(environment: [String: String], core: String, cpu: CPU) -> Decision {
        if let from = environment[fallbackVariable], environment["OPENBLAS_CORETYPE"] != nil {
            return .switched(from: from, to: core)
        }
        if environment["OPENBLAS_CORETYPE"] != nil { return .keep }
        return replacement(for: core, on: cpu).map { .switchTo($0) } ?? .keep
    }

    /// At the start of a program, before any BLAS work: when OpenBLAS runs a fallback kernel on a
    /// processor that can do better, re-executes the program (`/proc/self/exe`, same arguments)
    /// with `OPENBLAS_CORETYPE` set, and does not return. In the re-executed process, returns
    /// the line to tell the user. Returns nil when nothing changed.
    ///
    /// `TEXTDISTILL_BLAS_ASSUME=NAME` makes it act as if OpenBLAS had picked NAME (to try the
    /// switch on a processor OpenBLAS knows).
    ///
    /// - Parameter arguments: the command line to re-execute with.
    /// - Returns: the line to print when this process was re-executed with a replacement, else nil.
    public static func switchIfFallback(arguments: [String] = CommandLine.arguments) -> String? {
        let environment = ProcessInfo.processInfo.environment
        let cpu = CPU.current
        let core =
            environment["OPENBLAS_CORETYPE"] == nil ? environment["TEXTDISTILL_BLAS_ASSUME"] ?? coreName : coreName
        switch decide(environment: environment, core: core, cpu: cpu) {
        case .keep:
            return nil
        case .switched(let from, let to):
            return "OpenBLAS picked its \(from) kernels on this \(cpu.summary); running its \(to) kernels instead "
                + "(set OPENBLAS_CORETYPE to choose yourself)"
        case .switchTo(let replacement):
            setenv("OPENBLAS_CORETYPE", replacement, 1)
            setenv(fallbackVariable, core, 1)
            var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
            execv("/proc/self/exe", &argv)
            // exec failed: carry on with the kernels there are, and say so.
            unsetenv("OPENBLAS_CORETYPE")
            unsetenv(fallbackVariable)
            return
                "OpenBLAS runs its \(core) kernels on this \(cpu.summary) and re-running with OPENBLAS_CORETYPE=\(replacement) "
                + "failed (\(String(cString: strerror(errno)))); set it yourself for 2–3× faster matrix products"
        }
    }
}
