/// The octets each side signs or MACs in IKE_AUTH (RFC 7296 section 2.15):
///
///     InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI
///     ResponderSignedOctets = RealMessage2 | NonceIData | MACedIDForR
///     MACedIDForI = prf(SK_pi, RestOfInitIDPayload)
///
/// RestOfIDPayload is the ID payload body: ID type, three reserved octets, data.
enum AuthOctets {
    static func signedOctets(realMessage: [UInt8], peerNonce: [UInt8], prf: PRF,
                             skP: SecretBytes, id: IDPayload) -> [UInt8] {
        var restOfID: [UInt8] = [id.type.rawValue, 0, 0, 0]
        restOfID += id.data
        return realMessage + peerNonce + prf.compute(key: skP, restOfID)
    }

    /// AUTH = prf( prf(Shared Secret, "Key Pad for IKEv2"), SignedOctets ) (section 2.15).
    static func pskAuth(prf: PRF, psk: SecretBytes, octets: [UInt8]) -> [UInt8] {
        let pad = prf.computeSecret(key: psk, Array("Key Pad for IKEv2".utf8))
        return prf.compute(key: pad, octets)
    }

    /// Builds our AUTH payload with the local credential.
    static func makeAuth(credential: LocalCredential, prf: PRF, octets: [UInt8])
        throws(CryptoError) -> AuthPayload
    {
        switch credential {
        case .psk(let psk):
            return AuthPayload(method: .sharedKeyMIC,
                               data: pskAuth(prf: prf, psk: psk, octets: octets))
        case .privateKey(let key):
            return try SignatureAuth.sign(octets: octets, with: key)
        }
    }

    /// Checks a peer's AUTH against a PSK, in constant time.
    static func verifyPSK(_ auth: AuthPayload, prf: PRF, psk: SecretBytes, octets: [UInt8])
        -> Bool
    {
        guard auth.method == .sharedKeyMIC else { return false }
        let expected = SecretBytes(pskAuth(prf: prf, psk: psk, octets: octets))
        return expected == SecretBytes(auth.data)
    }
}
