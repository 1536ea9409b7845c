/// The address of element `offset` of a buffer that must not be empty: the checked form of
/// `baseAddress! + offset` for the loops over file bytes and tensor storage.
extension UnsafeBufferPointer {
    @inline(__always) public func pointer(at offset: Int = 0) -> UnsafePointer<Element> {
        guard let base = baseAddress else { preconditionFailure("pointer(at:): the buffer is empty") }
        return base + offset
    }
}

extension UnsafeMutableBufferPointer {
    @inline(__always) public func pointer(at offset: Int = 0) -> UnsafeMutablePointer<Element> {
        guard let base = baseAddress else { preconditionFailure("pointer(at:): the buffer is empty") }
        return base + offset
    }
}

extension UnsafeRawBufferPointer {
    @inline(__always) public func pointer(at offset: Int = 0) -> UnsafeRawPointer {
        guard let base = baseAddress else { preconditionFailure("pointer(at:): the buffer is empty") }
        return base + offset
    }
}

extension UnsafeMutableRawBufferPointer {
    @inline(__always) public func pointer(at offset: Int = 0) -> UnsafeMutableRawPointer {
        guard let base = baseAddress else { preconditionFailure("pointer(at:): the buffer is empty") }
        return base + offset
    }
}
