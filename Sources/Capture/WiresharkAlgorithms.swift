import IKEv2

/// Maps the algorithm names of Wireshark's IKEv2 decryption table (the strings of its
/// ISAKMP dissector, e.g. "AES-CBC-256 [RFC3602]") to IKEv2 transform IDs.
///
/// Names are matched exactly first, then without the bracketed reference and ignoring
/// case ("aes-cbc-256" works). "CHACHA20-POLY1305 [RFC7634]" is accepted as well, though
/// Wireshark's table has no ChaCha20 entry.
enum WiresharkAlgorithms {
    /// An ENCR transform: ID and key size in bits (nil for fixed-size ciphers).
    struct Encryption: Equatable {
        var id: UInt16
        var keyBits: UInt16?
    }

    /// An INTEG choice: a transform ID, or "ANY n-bits of Authentication [No Checking]",
    /// which strips an ICV of that size without verifying it.
    enum Integrity: Equatable {
        case transform(UInt16)
        case unchecked(icvOctets: Int)
    }

    static func encryption(_ name: String) -> Encryption? {
        let key = normalized(name)
        if key == "null" { return Encryption(id: 11, keyBits: nil) }
        if key == "3des" { return Encryption(id: EncrID.des3, keyBits: nil) }
        if key == "chacha20-poly1305" {
            return Encryption(id: EncrID.chacha20Poly1305, keyBits: 256)
        }
        // AES-<mode>-<bits>[ with <n> octet ICV]
        let words = key.split(separator: " ")
        let parts = words.first?.split(separator: "-") ?? []
        guard parts.count == 3, parts[0] == "aes", let bits = UInt16(parts[2]),
              [128, 192, 256].contains(bits)
        else { return nil }
        let icv = words.count == 5 && words[1] == "with" && words[3] == "octet"
            && words[4] == "icv" ? Int(words[2]) : nil
        switch (parts[1], icv) {
        case ("cbc", nil): return Encryption(id: EncrID.aesCBC, keyBits: bits)
        case ("ctr", nil): return Encryption(id: EncrID.aesCTR, keyBits: bits)
        case ("gcm", 8?): return Encryption(id: EncrID.aesGCM8, keyBits: bits)
        case ("gcm", 12?): return Encryption(id: EncrID.aesGCM12, keyBits: bits)
        case ("gcm", 16?): return Encryption(id: EncrID.aesGCM16, keyBits: bits)
        case ("ccm", 8?): return Encryption(id: EncrID.aesCCM8, keyBits: bits)
        case ("ccm", 12?): return Encryption(id: EncrID.aesCCM12, keyBits: bits)
        case ("ccm", 16?): return Encryption(id: EncrID.aesCCM16, keyBits: bits)
        default: return nil
        }
    }

    static func integrity(_ name: String) -> Integrity? {
        let key = normalized(name)
        switch key {
        case "none": return .transform(IntegID.none)
        case "hmac_md5_96": return .transform(1)
        case "hmac_sha1_96": return .transform(IntegID.hmacSHA1_96)
        case "hmac_md5_128": return .transform(6)
        case "hmac_sha1_160": return .transform(IntegID.hmacSHA1_160)
        case "hmac_sha2_256_128": return .transform(IntegID.hmacSHA2_256_128)
        case "hmac_sha2_384_192": return .transform(IntegID.hmacSHA2_384_192)
        case "hmac_sha2_512_256": return .transform(IntegID.hmacSHA2_512_256)
        case "aes_xcbc_96": return .transform(IntegID.aesXCBC96)
        case "aes_cmac_96": return .transform(IntegID.aesCMAC96)
        default: break
        }
        // "any 96-bits of authentication" (the "[No Checking]" part is stripped).
        let words = key.split(separator: " ")
        guard words.count == 4, words[0] == "any", words[1].hasSuffix("-bits"),
              let bits = Int(words[1].dropLast(5)), bits % 8 == 0, bits > 0
        else { return nil }
        return .unchecked(icvOctets: bits / 8)
    }

    /// Lowercased, without the trailing " [reference]" and surrounding spaces.
    private static func normalized(_ name: String) -> String {
        var s = name.trimmingSpaces
        if s.hasSuffix("]"), let open = s.lastIndex(of: "[") {
            s = String(s[..<open]).trimmingSpaces
        }
        return s.lowercased()
    }
}
