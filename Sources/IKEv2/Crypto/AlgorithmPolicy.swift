/// RFC 8247 requirement levels for IKEv2 transforms, and which ones this project treats
/// as legacy: understood when a peer or an operator asks for them, never offered by
/// default (the defaults are `ProposalSpec`'s and `KeyExchanges.supported`).
///
/// Levels follow RFC 8247 sections 3.1.1 (ENCR), 3.2 (PRF), 3.3 (INTEG) and 3.4 (DH),
/// as summarised in shared/notes/spec-digest.md section 10. Transforms the RFC does not
/// list (e.g. AES-CTR, AES-GCM-8, AUTH_AES_CMAC_96, Curve25519 in draft-10) are
/// `.notListed`.
public enum AlgorithmPolicy {
    public enum Level: String, Sendable, Comparable {
        case mustNot = "MUST NOT"
        case shouldNot = "SHOULD NOT"
        case notListed = "not listed"
        case may = "MAY"
        case mustMinus = "MUST-"
        case should = "SHOULD"
        case shouldPlus = "SHOULD+"
        case must = "MUST"

        private var rank: Int {
            switch self {
            case .mustNot: return 0
            case .shouldNot: return 1
            case .notListed: return 2
            case .may: return 3
            case .mustMinus: return 4
            case .should: return 5
            case .shouldPlus: return 6
            case .must: return 7
            }
        }

        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }

    /// The RFC 8247 level of transform `id` of `type`.
    public static func level(type: TransformType, id: UInt16) -> Level {
        switch type {
        case .encr:
            switch id {
            case EncrID.aesCBC: return .must
            case EncrID.chacha20Poly1305, EncrID.aesGCM16, EncrID.aesCCM8: return .should
            case EncrID.des3: return .may
            // ENCR_DES_IV64 (1), ENCR_DES (2), ENCR_DES_IV32 (9); ENCR_NULL (11) is
            // never allowed for IKE (RFC 7296 section 5).
            case 1, 2, 9, 11: return .mustNot
            default: return .notListed
            }
        case .prf:
            switch id {
            case PRFID.hmacSHA2_256: return .must
            case PRFID.hmacSHA2_512: return .shouldPlus
            case PRFID.hmacSHA1: return .mustMinus
            case PRFID.aes128XCBC: return .should
            case 1: return .mustNot                           // PRF_HMAC_MD5
            default: return .notListed
            }
        case .integ:
            switch id {
            case IntegID.hmacSHA2_256_128: return .must
            case IntegID.hmacSHA2_512_256, IntegID.aesXCBC96: return .should
            case IntegID.hmacSHA1_96: return .mustMinus
            case 1, 3, 4: return .mustNot                     // HMAC_MD5_96, DES_MAC, KPDK_MD5
            default: return .notListed
            }
        case .dh:
            switch id {
            case DHGroup.modp2048: return .must
            case DHGroup.ecp256: return .should
            case DHGroup.modp1024, DHGroup.modp1536, 22, 23, 24: return .shouldNot
            case 1: return .mustNot                           // MODP-768
            default: return .notListed
            }
        default:
            return .notListed
        }
    }

    /// Whether a transform is legacy: RFC 8247 SHOULD NOT or MUST NOT, plus ENCR_3DES,
    /// which RFC 8247 keeps at MAY only for old peers and whose 64-bit block limits how
    /// much one key may protect (the project's choice, see Insecure/TripleDES.swift).
    public static func isDeprecated(type: TransformType, id: UInt16) -> Bool {
        if type == .encr && id == EncrID.des3 { return true }
        return level(type: type, id: id) <= .shouldNot
    }
}
