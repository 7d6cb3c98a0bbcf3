import CSodium

/// Cryptographically secure random numbers from libsodium's `randombytes`.
public enum SecureRandom {
    public static func bytes(_ n: Int) -> [UInt8] {
        Sodium.ensure()
        var out = [UInt8](repeating: 0, count: n)
        if n > 0 { out.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, n) } }
        return out
    }

    /// Fills a caller-provided buffer (used for key material that must not be copied).
    static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        Sodium.ensure()
        if let base = buffer.baseAddress { randombytes_buf(base, buffer.count) }
    }

    public static func uint64() -> UInt64 {
        Sodium.ensure()
        var v: UInt64 = 0
        withUnsafeMutableBytes(of: &v) { randombytes_buf($0.baseAddress!, 8) }
        return v
    }

    public static func uint32() -> UInt32 {
        Sodium.ensure()
        return randombytes_random()
    }
}
