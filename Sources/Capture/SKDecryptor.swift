import IKEv2

/// Opens SK and SKF payloads with keys from a `KeyTable`, through the daemon's own
/// `SKProtection`, so `ikectl decode` can decrypt exactly what the daemon can.
///
/// Keys are chosen by the I flag (RFC 7296 section 2.14 and 3.1): a message sent by the
/// original initiator is protected with SK_ei/SK_ai, one sent by the original responder
/// with SK_er/SK_ar, whether it is a request or a response.
struct SKDecryptor {
    let table: KeyTable

    struct Opened {
        var inspection: SKProtection.Inspection
        /// False for "ANY n-bits of Authentication [No Checking]": the ICV was stripped,
        /// not verified.
        var icvChecked: Bool
    }

    /// Why a payload was not opened; `description` is the one-line reason.
    enum Failure: Error, CustomStringConvertible {
        case noKeys(spiI: UInt64, spiR: UInt64)
        case unsupported(String)
        case badKeys(String)
        case malformed(String)

        var description: String {
            switch self {
            case .noKeys(let i, let r):
                return "no key table row for SPIs \(spiHex(i))/\(spiHex(r))"
            case .unsupported(let s): return "unsupported algorithm \(s)"
            case .badKeys(let s): return s
            case .malformed(let s): return "cannot decrypt: \(s)"
            }
        }
    }

    /// Opens the SK (or SKF) payload at `skOffset` of `message` (exactly the IKE message).
    func open(message: [UInt8], skOffset: Int, isFragment: Bool, spiI: UInt64, spiR: UInt64,
              fromOriginalInitiator: Bool) -> Result<Opened, Failure> {
        guard let row = table.row(spiI: spiI, spiR: spiR) else {
            return .failure(.noKeys(spiI: spiI, spiR: spiR))
        }
        guard let encr = WiresharkAlgorithms.encryption(row.encryption) else {
            return .failure(.unsupported("'\(row.encryption)' (unknown encryption name)"))
        }
        guard let integ = WiresharkAlgorithms.integrity(row.integrity) else {
            return .failure(.unsupported("'\(row.integrity)' (unknown integrity name)"))
        }
        let integID: UInt16
        switch integ {
        case .transform(let id): integID = id
        case .unchecked(let octets):
            // Any HMAC with that ICV size will do: its result is ignored.
            guard let id = Self.integByICV[octets] else {
                return .failure(.unsupported("\(row.integrity) (no \(octets)-octet ICV)"))
            }
            integID = id
        }
        let suite: EncryptionSuite
        do {
            suite = try EncryptionSuite(encr: encr.id, keyBits: encr.keyBits, integ: integID)
        } catch {
            return .failure(.unsupported("\(row.encryption) with \(row.integrity) (\(error))"))
        }
        var checked = true
        if case .unchecked = integ { checked = false }
        let side = fromOriginalInitiator ? "i" : "r"
        let encrKey = fromOriginalInitiator ? row.skEi : row.skEr
        var integKey = fromOriginalInitiator ? row.skAi : row.skAr
        if !checked { integKey = [UInt8](repeating: 0, count: suite.integKeyLength) }
        guard encrKey.count == suite.encrKeyLength else {
            return .failure(.badKeys("SK_e\(side) is \(encrKey.count) octets, \(row.encryption) "
                + "needs \(suite.encrKeyLength) (key table line \(row.line))"))
        }
        guard integKey.count == suite.integKeyLength else {
            return .failure(.badKeys("SK_a\(side) is \(integKey.count) octets, "
                + "\(row.integrity) needs \(suite.integKeyLength) (key table line \(row.line))"))
        }
        // SKProtection wants both directions; the unused one is never touched.
        let e = SecretBytes(encrKey), a = SecretBytes(integKey)
        let keys = IKESAKeys(skD: SecretBytes(count: 0), skAi: a, skAr: a, skEi: e, skEr: e,
                             skPi: SecretBytes(count: 0), skPr: SecretBytes(count: 0))
        do {
            // The receiver of an initiator's message is the original responder.
            let protection = try SKProtection(suite: suite, keys: keys,
                                              isOriginalInitiator: !fromOriginalInitiator)
            let inspection = try protection.inspect(message: message, skOffset: skOffset,
                                                    isFragment: isFragment)
            return .success(Opened(inspection: inspection, icvChecked: checked))
        } catch {
            return .failure(.malformed("\(error)"))
        }
    }

    /// INTEG transforms by ICV size, to strip an unchecked ICV.
    static let integByICV: [Int: UInt16] = [
        12: IntegID.hmacSHA1_96, 16: IntegID.hmacSHA2_256_128, 20: IntegID.hmacSHA1_160,
        24: IntegID.hmacSHA2_384_192, 32: IntegID.hmacSHA2_512_256,
    ]
}

/// 16 lowercase hex digits.
func spiHex(_ spi: UInt64) -> String {
    let s = String(spi, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}
