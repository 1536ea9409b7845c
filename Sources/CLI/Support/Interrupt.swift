import Foundation

/// Ctrl-C handling for long runs: the first SIGINT asks the run to stop at the next safe point
/// (after the current iteration, once a checkpoint is written); a second one exits at once.
enum Interrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    static var requested: Bool { flag != 0 }

    static func install() {
        signal(SIGINT) { _ in
            if Interrupt.flag != 0 { _exit(130) }
            Interrupt.flag = 1
        }
    }

    static func uninstall() { signal(SIGINT, SIG_DFL) }
}
