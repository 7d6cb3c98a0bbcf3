/// Diffie-Hellman groups RFC 8247 section 3.4 lists as SHOULD NOT: understood, never
/// offered by default (`AlgorithmPolicy`).
///
/// OpenSSL 3 names MODP-1536 ("modp_1536") but not the 1024-bit MODP group of RFC 2409
/// section 6.2 (IKEv2 group 2), so that one is built from its published prime, generator 2.
enum MODPLegacyGroups {
    /// RFC 2409 section 6.2, the "Second Oakley Group" prime:
    /// 2^1024 - 2^960 - 1 + 2^64 * { [2^894 pi] + 129093 }.
    static let modp1024Prime: [UInt8] = hexOctets("""
        FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74\
        020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437\
        4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
        EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF
        """)

    private static func hexOctets(_ s: String) -> [UInt8] {
        let digits = Array(s.utf8).compactMap { c -> UInt8? in
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }
}
