import ArgumentParser

/// One name per meaning across commands: `--test-nets` is how many fresh networks an evaluation
/// trains (distill, evaluate, train); `--nets` is distill's inits per outer iteration only.
enum TestNets {
    /// The error for `--nets` given to a command that evaluates.
    static func refuseNets(_ nets: Int?) throws {
        if let nets {
            throw ValidationError(
                "--nets is distill's inits per outer iteration; the fresh networks of an evaluation are --test-nets \(nets)"
            )
        }
    }
}
