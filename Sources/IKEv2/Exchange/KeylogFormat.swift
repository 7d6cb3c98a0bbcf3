/// Lines for Wireshark's decryption tables, written by `iked --keylog` so that tshark
/// can decrypt iked's own traffic. Both are Wireshark UAT files: string fields quoted,
/// byte fields as bare hex.
///
/// - `ikev2_decryption_table`: SPIi, SPIr, SK_ei, SK_er, "encryption", SK_ai, SK_ar,
///   "integrity" (for AEAD and CTR ciphers SK_e includes the salt).
/// - `esp_sa`: "IPv4", "src", "dst", "0xSPI", "encryption", "0xkey", "integrity",
///   "0xkey", one line per direction.
public enum KeylogFormat {
    /// Wireshark's name of an IKE encryption transform, nil when it has none.
    public static func ikeEncrName(_ e: ProposalSpec.Encr) -> String? {
        let bits = e.keyBits.map(String.init) ?? ""
        switch e.id {
        case EncrID.des3: return "3DES [RFC2451]"
        case EncrID.aesCBC: return "AES-CBC-\(bits) [RFC3602]"
        case EncrID.aesCTR: return "AES-CTR-\(bits) [RFC5930]"
        case EncrID.aesCCM8: return "AES-CCM-\(bits) with 8 octet ICV [RFC5282]"
        case EncrID.aesCCM12: return "AES-CCM-\(bits) with 12 octet ICV [RFC5282]"
        case EncrID.aesCCM16: return "AES-CCM-\(bits) with 16 octet ICV [RFC5282]"
        case EncrID.aesGCM8: return "AES-GCM-\(bits) with 8 octet ICV [RFC5282]"
        case EncrID.aesGCM12: return "AES-GCM-\(bits) with 12 octet ICV [RFC5282]"
        case EncrID.aesGCM16: return "AES-GCM-\(bits) with 16 octet ICV [RFC5282]"
        default: return nil
        }
    }

    /// Wireshark's name of an IKE integrity transform.
    public static func ikeIntegName(_ id: UInt16) -> String? {
        switch id {
        case IntegID.none: return "NONE [RFC4306]"
        case IntegID.hmacSHA1_96: return "HMAC_SHA1_96 [RFC2404]"
        case IntegID.hmacSHA1_160: return "HMAC_SHA1_160 [RFC4595]"
        case IntegID.hmacSHA2_256_128: return "HMAC_SHA2_256_128 [RFC4868]"
        case IntegID.hmacSHA2_384_192: return "HMAC_SHA2_384_192 [RFC4868]"
        case IntegID.hmacSHA2_512_256: return "HMAC_SHA2_512_256 [RFC4868]"
        default: return nil
        }
    }

    /// Wireshark's name of an ESP encryption algorithm (key length comes from the key).
    public static func espEncrName(_ id: UInt16) -> String? {
        switch id {
        case EncrID.des3: return "TripleDES-CBC [RFC2451]"
        case EncrID.aesCBC: return "AES-CBC [RFC3602]"
        case EncrID.aesCTR: return "AES-CTR [RFC3686]"
        case EncrID.aesGCM8: return "AES-GCM with 8 octet ICV [RFC4106]"
        case EncrID.aesGCM12: return "AES-GCM with 12 octet ICV [RFC4106]"
        case EncrID.aesGCM16: return "AES-GCM with 16 octet ICV [RFC4106]"
        default: return nil
        }
    }

    /// Wireshark's name of an ESP integrity algorithm.
    public static func espIntegName(_ id: UInt16) -> String? {
        switch id {
        case IntegID.none: return "NULL"
        case IntegID.hmacSHA1_96: return "HMAC-SHA-1-96 [RFC2404]"
        case IntegID.hmacSHA2_256_128: return "HMAC-SHA-256-128 [RFC4868]"
        case IntegID.hmacSHA2_384_192: return "HMAC-SHA-384-192 [RFC4868]"
        case IntegID.hmacSHA2_512_256: return "HMAC-SHA-512-256 [RFC4868]"
        default: return nil
        }
    }

    /// One `ikev2_decryption_table` line; nil when Wireshark cannot name the suite.
    static func ikeLine(spiI: UInt64, spiR: UInt64, chosen: ChosenProposal, keys: IKESAKeys)
        -> String?
    {
        guard let encr = ikeEncrName(chosen.encr), let integ = ikeIntegName(chosen.integ) else {
            return nil
        }
        return [hex64(spiI), hex64(spiR), keys.skEi.revealed().hexString,
                keys.skEr.revealed().hexString, "\"\(encr)\"", keys.skAi.revealed().hexString,
                keys.skAr.revealed().hexString, "\"\(integ)\""].joined(separator: ",")
    }

    /// The two `esp_sa` lines of a child SA (outer addresses, one line per direction).
    static func espLines(_ child: ChildSA, local: IPAddress, remote: IPAddress,
                         isInitiator: Bool) -> [String] {
        guard let encr = espEncrName(child.chosen.encr.id),
              let integ = espIntegName(child.chosen.integ) else { return [] }
        let family = local.isV4 ? "IPv4" : "IPv6"
        // the child SA initiator sends with the "I" keys (RFC 7296 section 2.17)
        let (outE, outA, inE, inA) = isInitiator
            ? (child.keys.encrI, child.keys.integI, child.keys.encrR, child.keys.integR)
            : (child.keys.encrR, child.keys.integR, child.keys.encrI, child.keys.integI)
        func line(_ src: IPAddress, _ dst: IPAddress, _ spi: UInt32, _ e: SecretBytes,
                  _ a: SecretBytes) -> String {
            let auth = a.count == 0 ? "" : "0x" + a.revealed().hexString
            return ["\"\(family)\"", "\"\(src)\"", "\"\(dst)\"", "\"0x\(hex32(spi))\"",
                    "\"\(encr)\"", "\"0x\(e.revealed().hexString)\"", "\"\(integ)\"",
                    "\"\(auth)\""].joined(separator: ",")
        }
        return [line(local, remote, child.spiOut, outE, outA),
                line(remote, local, child.spiIn, inE, inA)]
    }
}
