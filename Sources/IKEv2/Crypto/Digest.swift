import COpenSSL

/// One-shot message digests (SHA-1 for key IDs and legacy NAT detection, SHA-256).
public enum Digest {
    public static func sha1(_ d: [UInt8]) -> [UInt8] { compute(EVP_sha1(), d, 20) }
    public static func sha256(_ d: [UInt8]) -> [UInt8] { compute(EVP_sha256(), d, 32) }

    static func compute(_ md: OpaquePointer?, _ d: [UInt8], _ size: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        var len: UInt32 = 0
        let ok = d.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { o in
                EVP_Digest(input.baseAddress, input.count, o.baseAddress, &len, md, nil)
            }
        }
        precondition(ok == 1 && Int(len) == size, "EVP_Digest failed")
        return out
    }
}
