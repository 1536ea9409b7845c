import Foundation

/// Wall-clock timing for benchmarks and progress lines.
struct Stopwatch {
    private var start = DispatchTime.now().uptimeNanoseconds
    var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
    mutating func restart() { start = DispatchTime.now().uptimeNanoseconds }

    /// Median seconds of `repeats` runs of `body` after one warm-up run.
    static func median(repeats: Int, _ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0..<repeats {
            let w = Stopwatch()
            body()
            times.append(w.seconds)
        }
        return times.sorted()[times.count / 2]
    }
}
