/// One proposal written strongSwan-style, e.g. `aes128gcm16-prfsha256-x25519`
/// (IKE) or `aes256-sha256` (ESP). RFC 7296 section 3.3: a proposal is a set of
/// transforms, at most one of which per type is chosen.
public struct ProposalSpec: Hashable, Sendable, CustomStringConvertible {
    public struct Encr: Hashable, Sendable {
        public var id: UInt16
        /// Key length in bits, sent as the Key Length attribute; nil for fixed-key ciphers.
        public var keyBits: UInt16?
    }

    public var encr: [Encr]
    public var integ: [UInt16]
    public var prf: [UInt16]
    public var dh: [UInt16]
    /// ESN transforms offered (ESP only); empty for IKE.
    public var esn: [UInt16]

    public enum ParseError: Error, CustomStringConvertible {
        case unknownToken(String, in: String)
        case incomplete(String, missing: String)

        public var description: String {
            switch self {
            case .unknownToken(let t, let p): return "unknown algorithm '\(t)' in proposal '\(p)'"
            case .incomplete(let p, let m): return "proposal '\(p)' has no \(m)"
            }
        }
    }

    /// Parses `text`; `forESP` decides which transform types are required.
    public init(parsing text: String, forESP: Bool) throws(ParseError) {
        var encr: [Encr] = []
        var integ: [UInt16] = []
        var prf: [UInt16] = []
        var dh: [UInt16] = []
        var esn: [UInt16] = []
        var impliedPRF: [UInt16] = []
        for raw in text.lowercased().split(separator: "-") {
            let token = String(raw)
            if let e = Self.encrTokens[token] {
                encr.append(e)
            } else if let i = Self.integTokens[token] {
                integ.append(i)
                // strongSwan: an integrity algorithm also names the PRF when none is given.
                if !forESP, let p = Self.integImpliedPRF[token] { impliedPRF.append(p) }
            } else if let p = Self.prfTokens[token] {
                prf.append(p)
            } else if let g = Self.dhTokens[token] {
                dh.append(g)
            } else if token == "esn" {
                esn.append(ESNID.yes)
            } else if token == "noesn" {
                esn.append(ESNID.no)
            } else {
                throw .unknownToken(token, in: text)
            }
        }
        prf = NSOrderedUnique(prf.isEmpty ? impliedPRF : prf)
        guard !encr.isEmpty else { throw .incomplete(text, missing: "encryption algorithm") }
        let aead = encr.allSatisfy { Self.aeadIDs.contains($0.id) }
        if !aead && integ.isEmpty { throw .incomplete(text, missing: "integrity algorithm") }
        if !forESP {
            guard !prf.isEmpty else { throw .incomplete(text, missing: "PRF") }
            guard !dh.isEmpty else { throw .incomplete(text, missing: "DH group") }
        }
        if forESP && esn.isEmpty { esn = [ESNID.no] }
        self.encr = encr
        self.integ = aead ? [] : integ
        self.prf = forESP ? [] : prf
        self.dh = dh
        self.esn = esn
    }

    public init(encr: [Encr], integ: [UInt16], prf: [UInt16], dh: [UInt16], esn: [UInt16]) {
        self.encr = encr
        self.integ = integ
        self.prf = prf
        self.dh = dh
        self.esn = esn
    }

    /// The transforms in wire order (section 3.3.2): ENCR, PRF, INTEG, DH, ESN.
    public var transforms: [Transform] {
        var t: [Transform] = []
        for e in encr {
            let attrs: [TransformAttribute] = e.keyBits.map {
                [.tv(type: TransformAttributeType.keyLength, value: $0)]
            } ?? []
            t.append(Transform(type: .encr, id: e.id, attributes: attrs))
        }
        t += prf.map { Transform(type: .prf, id: $0) }
        t += integ.map { Transform(type: .integ, id: $0) }
        t += dh.map { Transform(type: .dh, id: $0) }
        t += esn.map { Transform(type: .esn, id: $0) }
        return t
    }

    /// Whether any transform is legacy (`AlgorithmPolicy.isDeprecated`: RFC 8247 SHOULD NOT
    /// or MUST NOT, or 3DES), so the configuration layer can warn about it.
    public var usesDeprecatedAlgorithms: Bool {
        transforms.contains { AlgorithmPolicy.isDeprecated(type: $0.type, id: $0.id) }
    }

    public var description: String {
        var parts: [String] = encr.map { Self.name(encr: $0) }
        parts += integ.map { Self.name(integ: $0) }
        parts += prf.map { Self.name(prf: $0) }
        parts += dh.map { Self.name(dh: $0) }
        if esn.contains(ESNID.yes) { parts.append(esn.contains(ESNID.no) ? "esn-noesn" : "esn") }
        return parts.joined(separator: "-")
    }

    /// Short name of a transform as received, for messages about proposals.
    public static func name(of t: Transform) -> String {
        switch t.type {
        case .encr: return name(encr: Encr(id: t.id, keyBits: t.keyLength))
        case .integ: return name(integ: t.id)
        case .prf: return name(prf: t.id)
        case .dh: return name(dh: t.id)
        case .esn: return t.id == ESNID.yes ? "esn" : "noesn"
        default: return "\(t.type)(\(t.id))"
        }
    }

    /// Readable form of a whole received proposal, e.g. `aes256gcm16-prfsha384-ecp384`.
    public static func describe(_ p: Proposal) -> String {
        p.transforms.filter { !($0.type == .esn && $0.id == ESNID.no) }
            .map { name(of: $0) }.joined(separator: "-")
    }

    static func name(encr e: Encr) -> String {
        if let token = encrNames.first(where: { encrTokens[$0] == e }) { return token }
        return "encr\(e.id)" + (e.keyBits.map { "_\($0)" } ?? "")
    }

    /// Canonical spellings, tried in this order when printing.
    static let encrNames: [String] = {
        var names = ["3des"]
        for bits in [128, 192, 256] { names.append("aes\(bits)") }
        for bits in [128, 192, 256] { names.append("aes\(bits)ctr") }
        for mode in ["gcm", "ccm"] {
            for bits in [128, 192, 256] {
                for icv in [16, 12, 8] { names.append("aes\(bits)\(mode)\(icv)") }
            }
        }
        return names + ["chacha20poly1305"]
    }()

    static func name(integ id: UInt16) -> String {
        integTokens.first { $0.value == id && !$0.key.hasSuffix("_") }.map(\.key) ?? "integ\(id)"
    }

    static func name(prf id: UInt16) -> String {
        prfTokens.first { $0.value == id }.map(\.key) ?? "prf\(id)"
    }

    static func name(dh id: UInt16) -> String {
        let preferred: [UInt16: String] = [31: "x25519", 19: "ecp256", 14: "modp2048"]
        if let p = preferred[id] { return p }
        return dhTokens.first { $0.value == id }.map(\.key) ?? "dh\(id)"
    }

    static let aeadIDs: Set<UInt16> = [
        EncrID.aesGCM8, EncrID.aesGCM12, EncrID.aesGCM16,
        EncrID.aesCCM8, EncrID.aesCCM12, EncrID.aesCCM16, EncrID.chacha20Poly1305,
    ]

    static let encrTokens: [String: Encr] = {
        var t: [String: Encr] = [
            "3des": Encr(id: EncrID.des3, keyBits: nil),
            "aes128gcm": Encr(id: EncrID.aesGCM16, keyBits: 128),
            "aes256gcm": Encr(id: EncrID.aesGCM16, keyBits: 256),
            "chacha20poly1305": Encr(id: EncrID.chacha20Poly1305, keyBits: nil),
        ]
        // strongSwan spells the ICV in octets (gcm16) or in bits (gcm128).
        let gcm: [(Int, UInt16)] = [(8, EncrID.aesGCM8), (12, EncrID.aesGCM12),
                                    (16, EncrID.aesGCM16)]
        let ccm: [(Int, UInt16)] = [(8, EncrID.aesCCM8), (12, EncrID.aesCCM12),
                                    (16, EncrID.aesCCM16)]
        for bits: UInt16 in [128, 192, 256] {
            t["aes\(bits)"] = Encr(id: EncrID.aesCBC, keyBits: bits)
            t["aes\(bits)ctr"] = Encr(id: EncrID.aesCTR, keyBits: bits)
            for (icv, id) in gcm {
                t["aes\(bits)gcm\(icv)"] = Encr(id: id, keyBits: bits)
                t["aes\(bits)gcm\(icv * 8)"] = Encr(id: id, keyBits: bits)
            }
            for (icv, id) in ccm {
                t["aes\(bits)ccm\(icv)"] = Encr(id: id, keyBits: bits)
                t["aes\(bits)ccm\(icv * 8)"] = Encr(id: id, keyBits: bits)
            }
        }
        return t
    }()

    static let integTokens: [String: UInt16] = [
        "sha1": IntegID.hmacSHA1_96,
        "sha1_160": IntegID.hmacSHA1_160,
        "aesxcbc": IntegID.aesXCBC96,
        "aescmac": IntegID.aesCMAC96,
        "sha256": IntegID.hmacSHA2_256_128,
        "sha384": IntegID.hmacSHA2_384_192,
        "sha512": IntegID.hmacSHA2_512_256,
    ]
    static let integImpliedPRF: [String: UInt16] = [
        "sha1": PRFID.hmacSHA1,
        "sha1_160": PRFID.hmacSHA1,
        "aesxcbc": PRFID.aes128XCBC,
        "aescmac": PRFID.aes128CMAC,
        "sha256": PRFID.hmacSHA2_256,
        "sha384": PRFID.hmacSHA2_384,
        "sha512": PRFID.hmacSHA2_512,
    ]
    static let prfTokens: [String: UInt16] = [
        "prfsha1": PRFID.hmacSHA1,
        "prfaesxcbc": PRFID.aes128XCBC,
        "prfaescmac": PRFID.aes128CMAC,
        "prfsha256": PRFID.hmacSHA2_256,
        "prfsha384": PRFID.hmacSHA2_384,
        "prfsha512": PRFID.hmacSHA2_512,
    ]
    static let dhTokens: [String: UInt16] = [
        "modp1024": DHGroup.modp1024,
        "modp1536": DHGroup.modp1536,
        "modp2048": DHGroup.modp2048,
        "modp3072": DHGroup.modp3072,
        "modp4096": DHGroup.modp4096,
        "ecp256": DHGroup.ecp256,
        "ecp384": DHGroup.ecp384,
        "ecp521": DHGroup.ecp521,
        "x25519": DHGroup.curve25519,
        "curve25519": DHGroup.curve25519,
    ]
}

/// Order-preserving de-duplication.
private func NSOrderedUnique(_ values: [UInt16]) -> [UInt16] {
    var seen = Set<UInt16>()
    return values.filter { seen.insert($0).inserted }
}
