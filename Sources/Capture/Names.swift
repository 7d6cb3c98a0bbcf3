import IKEv2

/// Payload names as the vectors' expected.json spells them (RFC 7296 section 3.2 titles).
enum PayloadNames {
    static func name(_ type: UInt8) -> String {
        switch type {
        case 33: return "SA"
        case 34: return "KE"
        case 35: return "IDi"
        case 36: return "IDr"
        case 37: return "CERT"
        case 38: return "CERTREQ"
        case 39: return "AUTH"
        case 40: return "Nonce"
        case 41: return "Notify"
        case 42: return "Delete"
        case 43: return "VendorID"
        case 44: return "TSi"
        case 45: return "TSr"
        case 46: return "SK"
        case 47: return "CP"
        case 48: return "EAP"
        case 53: return "SKF"
        default: return "Unknown(\(type))"
        }
    }
}

/// IANA names for transform IDs ("IKEv2 Transform Type n Values"), for text output.
enum TransformNames {
    static func name(type: UInt8, id: UInt16) -> String {
        let known: String?
        switch type {
        case 1: known = encr[id]
        case 2: known = prf[id]
        case 3: known = integ[id]
        case 4: known = dh[id]
        case 5: known = id == 0 ? "NO_ESN" : id == 1 ? "ESN" : nil
        default: known = nil
        }
        return known ?? "\(TransformType(rawValue: type))#\(id)"
    }

    static let encr: [UInt16: String] = [
        1: "ENCR_DES_IV64", 2: "ENCR_DES", 3: "ENCR_3DES", 11: "ENCR_NULL", 12: "ENCR_AES_CBC",
        13: "ENCR_AES_CTR", 14: "ENCR_AES_CCM_8", 15: "ENCR_AES_CCM_12", 16: "ENCR_AES_CCM_16",
        18: "ENCR_AES_GCM_8", 19: "ENCR_AES_GCM_12", 20: "ENCR_AES_GCM_16",
        21: "ENCR_NULL_AUTH_AES_GMAC", 23: "ENCR_CAMELLIA_CBC", 28: "ENCR_CHACHA20_POLY1305",
    ]
    static let prf: [UInt16: String] = [
        1: "PRF_HMAC_MD5", 2: "PRF_HMAC_SHA1", 4: "PRF_AES128_XCBC", 5: "PRF_HMAC_SHA2_256",
        6: "PRF_HMAC_SHA2_384", 7: "PRF_HMAC_SHA2_512", 8: "PRF_AES128_CMAC",
    ]
    static let integ: [UInt16: String] = [
        0: "NONE", 1: "AUTH_HMAC_MD5_96", 2: "AUTH_HMAC_SHA1_96", 5: "AUTH_AES_XCBC_96",
        6: "AUTH_HMAC_MD5_128", 7: "AUTH_HMAC_SHA1_160", 8: "AUTH_AES_CMAC_96",
        12: "AUTH_HMAC_SHA2_256_128", 13: "AUTH_HMAC_SHA2_384_192",
        14: "AUTH_HMAC_SHA2_512_256",
    ]
    static let dh: [UInt16: String] = [
        0: "NONE", 1: "MODP768", 2: "MODP1024", 5: "MODP1536", 14: "MODP2048",
        15: "MODP3072", 16: "MODP4096", 17: "MODP6144", 18: "MODP8192", 19: "ECP256",
        20: "ECP384", 21: "ECP521", 22: "MODP1024s160", 23: "MODP2048s224",
        24: "MODP2048s256", 25: "ECP192", 26: "ECP224", 27: "BRAINPOOL224",
        28: "BRAINPOOL256", 29: "BRAINPOOL384", 30: "BRAINPOOL512", 31: "CURVE25519",
        32: "CURVE448",
    ]
}

/// Notify names, completing `NotifyType.description` with status types it leaves out.
enum NotifyNames {
    static func name(_ type: NotifyType) -> String {
        extra[type.rawValue] ?? type.description
    }

    static let extra: [UInt16: String] = [
        16392: "HTTP_CERT_LOOKUP_SUPPORTED", 16397: "ADDITIONAL_IP4_ADDRESS",
        16399: "UPDATE_SA_ADDRESSES", 16403: "AUTH_LIFETIME",
        16405: "ANOTHER_AUTH_FOLLOWS", 16407: "REDIRECT", 16408: "REDIRECTED_FROM",
        16417: "EAP_ONLY_AUTHENTICATION", 16418: "CHILDLESS_IKEV2_SUPPORTED",
        16419: "QUICK_CRASH_DETECTION", 16424: "IKEV2_MESSAGE_ID_SYNC_SUPPORTED",
        16429: "SECURE_PASSWORD_METHODS", 16432: "CLONE_IKE_SA_SUPPORTED",
        16433: "CLONE_IKE_SA", 16435: "USE_PPK", 16436: "PPK_IDENTITY", 16437: "NO_PPK_AUTH",
        16438: "INTERMEDIATE_EXCHANGE_SUPPORTED", 16441: "ADDITIONAL_KEY_EXCHANGE",
        16442: "USE_AGGFRAG",
    ]
}
