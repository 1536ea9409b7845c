/// A user mistake found after parsing (reported like ArgumentParser's validation errors).
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
