/// The seven IKE SA keys (RFC 7296 section 2.14), in prf+ order.
public struct IKESAKeys: Sendable {
    public let skD, skAi, skAr, skEi, skEr, skPi, skPr: SecretBytes

    public init(skD: SecretBytes, skAi: SecretBytes, skAr: SecretBytes, skEi: SecretBytes,
                skEr: SecretBytes, skPi: SecretBytes, skPr: SecretBytes) {
        self.skD = skD
        self.skAi = skAi
        self.skAr = skAr
        self.skEi = skEi
        self.skEr = skEr
        self.skPi = skPi
        self.skPr = skPr
    }
}

/// Child SA keys (RFC 7296 section 2.17). "I" is the initiator-to-responder direction of
/// the exchange that created the Child SA.
public struct ChildSAKeys: Sendable {
    public let encrI, integI, encrR, integR: SecretBytes

    public init(encrI: SecretBytes, integI: SecretBytes, encrR: SecretBytes, integR: SecretBytes) {
        self.encrI = encrI
        self.integI = integI
        self.encrR = encrR
        self.integR = integR
    }
}

/// IKEv2 key derivation (RFC 7296 sections 2.13, 2.14, 2.17, 2.18).
public enum KeyDerivation {
    /// SKEYSEED = prf(Ni | Nr, g^ir) (section 2.14). `sharedSecret` is the fixed-length
    /// g^ir with leading zeros kept.
    ///
    /// For a PRF with a fixed key length (AES128-XCBC, AES128-CMAC) whose length Ni | Nr
    /// does not match, half the key comes from the start of Ni and half from the start
    /// of Nr (section 2.14; RFC 4434 section 4 and RFC 4615 section 4 say the same).
    public static func skeyseed(prf: PRF, ni: [UInt8], nr: [UInt8],
                                sharedSecret: SecretBytes) -> SecretBytes {
        var nonces = ni + nr
        if let fixed = prf.fixedKeyLength, nonces.count != fixed {
            let half = fixed / 2
            nonces = Array(ni.prefix(half)) + Array(nr.prefix(fixed - half))
        }
        let key = SecretBytes(nonces)
        return prf.computeSecret(key: key, secretPrefix: sharedSecret, [])
    }

    /// {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
    ///     = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)                  (section 2.14)
    ///
    /// `encrKeyLength` includes any AEAD salt; `integKeyLength` is 0 for AEAD.
    public static func ikeSAKeys(prf: PRF, skeyseed: SecretBytes, ni: [UInt8], nr: [UInt8],
                                 spiI: UInt64, spiR: UInt64, encrKeyLength: Int,
                                 integKeyLength: Int) -> IKESAKeys {
        var seed = ni + nr
        seed.appendBigEndian(spiI)
        seed.appendBigEndian(spiR)
        let p = prf.outputLength
        let lengths = [p, integKeyLength, integKeyLength, encrKeyLength, encrKeyLength, p, p]
        let keys = split(prf.plus(key: skeyseed, seed: seed,
                                  length: lengths.reduce(0, +)), lengths)
        return IKESAKeys(skD: keys[0], skAi: keys[1], skAr: keys[2], skEi: keys[3],
                         skEr: keys[4], skPi: keys[5], skPr: keys[6])
    }

    /// KEYMAT = prf+(SK_d, Ni | Nr), or prf+(SK_d, g^ir(new) | Ni | Nr) with PFS
    /// (section 2.17). Order: encr-i, integ-i, encr-r, integ-r.
    public static func childSAKeys(prf: PRF, skD: SecretBytes, ni: [UInt8], nr: [UInt8],
                                   sharedSecret: SecretBytes?, encrKeyLength: Int,
                                   integKeyLength: Int) -> ChildSAKeys {
        let lengths = [encrKeyLength, integKeyLength, encrKeyLength, integKeyLength]
        let keymat = prf.plus(key: skD, secretSeedPrefix: sharedSecret, seed: ni + nr,
                              length: lengths.reduce(0, +))
        let keys = split(keymat, lengths)
        return ChildSAKeys(encrI: keys[0], integI: keys[1], encrR: keys[2], integR: keys[3])
    }

    /// SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) for an IKE SA rekey (section 2.18).
    /// The new keys then come from `ikeSAKeys` with the new SPIs and nonces.
    public static func rekeySkeyseed(prf: PRF, oldSkD: SecretBytes, sharedSecret: SecretBytes,
                                     ni: [UInt8], nr: [UInt8]) -> SecretBytes {
        prf.computeSecret(key: oldSkD, secretPrefix: sharedSecret, ni + nr)
    }

    static func split(_ stream: SecretBytes, _ lengths: [Int]) -> [SecretBytes] {
        var offset = 0
        return lengths.map { n in
            defer { offset += n }
            return stream.slice(offset..<offset + n)
        }
    }
}
