import COpenSSL
import Synchronization

/// Encrypts and integrity-protects IKE messages in SK payloads (RFC 7296 section 3.14)
/// and SKF fragments (RFC 7383 section 2.5) with one IKE SA's keys.
///
/// Layout of the protected payload body: IV | encrypted(plaintext | padding | pad length)
/// | ICV. AEAD (RFC 5282 section 5.1, RFC 7634 section 3): the AAD is everything from the
/// IKE header to the end of the SK (or SKF) header, the nonce is salt | IV and the ICV is
/// the tag. AES-CBC, AES-CTR and 3DES: the ICV is the truncated MAC of the INTEG transform
/// over everything from the IKE header to the end of the ciphertext.
public final class SKProtection: @unchecked Sendable {
    public let suite: EncryptionSuite
    private let sendEncr, sendInteg, receiveEncr, receiveInteg: SecretBytes
    /// Counter for AEAD and CTR IVs (see `nextIV`).
    private let ivCounter = Atomic<UInt64>(0)

    /// `isOriginalInitiator` selects SK_ei/SK_ai for sending and SK_er/SK_ar for
    /// receiving; the original responder uses the reverse (section 2.14).
    public init(suite: EncryptionSuite, keys: IKESAKeys,
                isOriginalInitiator: Bool) throws(CryptoError) {
        for k in [keys.skEi, keys.skEr] where k.count != suite.encrKeyLength {
            throw .invalidKey("SK_e is \(k.count) octets, suite needs \(suite.encrKeyLength)")
        }
        for k in [keys.skAi, keys.skAr] where k.count != suite.integKeyLength {
            throw .invalidKey("SK_a is \(k.count) octets, suite needs \(suite.integKeyLength)")
        }
        self.suite = suite
        sendEncr = isOriginalInitiator ? keys.skEi : keys.skEr
        sendInteg = isOriginalInitiator ? keys.skAi : keys.skAr
        receiveEncr = isOriginalInitiator ? keys.skEr : keys.skEi
        receiveInteg = isOriginalInitiator ? keys.skAr : keys.skAi
    }

    /// The whole protected message: `header` (Next Payload = SK, Length filled in) and an
    /// SK payload whose Next Payload is `firstPayload`, the type of the first inner payload.
    public func seal(header: IKEHeader, firstPayload: PayloadType,
                     plaintext: [UInt8]) throws(CryptoError) -> [UInt8] {
        try seal(header: header, payloadType: .sk, firstPayload: firstPayload, extra: [],
                 plaintext: plaintext)
    }

    /// One SKF fragment (RFC 7383 section 2.5): `firstPayload` is the first inner payload
    /// type in fragment 1 and `.none` in the others; numbers start at 1.
    public func sealFragment(header: IKEHeader, firstPayload: PayloadType,
                             fragmentNumber: UInt16, totalFragments: UInt16,
                             plaintext: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard fragmentNumber >= 1, fragmentNumber <= totalFragments else {
            throw .malformedCiphertext("fragment \(fragmentNumber) of \(totalFragments)")
        }
        var extra = [UInt8]()
        extra.appendBigEndian(fragmentNumber)
        extra.appendBigEndian(totalFragments)
        return try seal(header: header, payloadType: .skf, firstPayload: firstPayload,
                        extra: extra, plaintext: plaintext)
    }

    /// Verifies and decrypts the SK payload that is the LAST payload of `message` (the
    /// whole datagram without a non-ESP marker). `skOffset` is where the SK generic
    /// payload header starts. Returns the inner payload chain; a bad ICV or tag throws
    /// `.integrityCheckFailed`.
    public func open(message: [UInt8], skOffset: Int) throws(CryptoError) -> [UInt8] {
        try open(message: message, offset: skOffset, extraLength: 0)
    }

    /// What `inspect` found in one SK or SKF payload: everything a capture decoder shows.
    public struct Inspection: Sendable {
        /// The explicit IV as sent.
        public var iv: [UInt8]
        /// The decrypted body: inner payloads | padding | pad length octet. Nil when an
        /// AEAD tag failed: AEAD yields no plaintext without a valid tag.
        public var decryptedBody: [UInt8]?
        /// Whether the ICV (truncated HMAC) or AEAD tag verified.
        public var icvValid: Bool
    }

    /// Like `open` (`isFragment` selects `openFragment`), but reports a bad ICV instead of
    /// throwing, and keeps the padding. For diagnostics only (`ikectl decode`): with a
    /// non-AEAD cipher the body is decrypted even when the ICV does not verify, so callers
    /// must not act on it unless `icvValid`.
    public func inspect(message: [UInt8], skOffset: Int,
                        isFragment: Bool = false) throws(CryptoError) -> Inspection {
        try inspect(message: message, offset: skOffset, extraLength: isFragment ? 4 : 0)
    }

    /// The same for one SKF fragment; the AAD or MAC also covers the Fragment Number and
    /// Total Fragments fields (RFC 7383 section 2.5).
    public func openFragment(message: [UInt8], skfOffset: Int) throws(CryptoError) -> [UInt8] {
        try open(message: message, offset: skfOffset, extraLength: 4)
    }

    // MARK: - Internals

    private func seal(header: IKEHeader, payloadType: PayloadType, firstPayload: PayloadType,
                      extra: [UInt8], plaintext: [UInt8]) throws(CryptoError) -> [UInt8] {
        let block = suite.blockSize
        let padLength = (block - (plaintext.count + 1) % block) % block
        var inner = plaintext
        inner.append(contentsOf: repeatElement(0, count: padLength))
        inner.append(UInt8(padLength))

        let iv = nextIV()
        let payloadLength = 4 + extra.count + iv.count + inner.count + suite.icvLength
        guard payloadLength <= Int(UInt16.max) else {
            throw .malformedCiphertext("SK payload of \(payloadLength) octets")
        }
        var h = header
        h.nextPayload = payloadType
        h.length = UInt32(IKEHeader.size + payloadLength)

        var out = MessageCodec.encodeHeader(h)
        out.reserveCapacity(Int(h.length))
        out.append(firstPayload.rawValue)
        out.append(0)
        out.appendBigEndian(UInt16(payloadLength))
        out.append(contentsOf: extra)
        let aadEnd = out.count
        out.append(contentsOf: iv)
        let bodyStart = out.count
        out.append(contentsOf: repeatElement(0, count: inner.count + suite.icvLength))

        if suite.isAEAD {
            try withCryptoErrors { try out.withUnsafeMutableBytes { all in
                let ok = try aead(seal: true, key: sendEncr, iv: iv,
                                  aad: UnsafeRawBufferPointer(rebasing: all[0..<aadEnd]),
                                  input: inner,
                                  output: UnsafeMutableRawBufferPointer(
                                      rebasing: all[bodyStart...]))
                guard ok else { throw CryptoError.library("AEAD seal") }
            } }
        } else {
            let macStart = bodyStart + inner.count
            try withCryptoErrors { try out.withUnsafeMutableBytes { all in
                try inner.withUnsafeBytes { input in
                    try cipher(encrypt: true, key: sendEncr, iv: iv, input: input,
                               output: UnsafeMutableRawBufferPointer(
                                   rebasing: all[bodyStart..<macStart]))
                }
                let mac = integrity(key: sendInteg,
                                    UnsafeRawBufferPointer(rebasing: all[0..<macStart]))
                UnsafeMutableRawBufferPointer(rebasing: all[macStart...]).copyBytes(from: mac)
            } }
        }
        return out
    }

    private func open(message: [UInt8], offset: Int,
                      extraLength: Int) throws(CryptoError) -> [UInt8] {
        let inspection = try inspect(message: message, offset: offset, extraLength: extraLength)
        guard inspection.icvValid, var plain = inspection.decryptedBody else {
            throw .integrityCheckFailed
        }
        // Only now that the message is authentic: the payload at `offset` must be the SK
        // (or SKF) payload the caller meant, found by walking the chain from the header.
        // (With a counter-mode cipher and a MAC over the whole message, an SKF read as an
        // SK would otherwise verify and decrypt to garbage.)
        try Self.checkPayloadType(message, offset: offset,
                                  expected: extraLength == 0 ? PayloadType.sk : .skf)
        let padLength = Int(plain[plain.count - 1])
        guard padLength < plain.count else {
            throw .malformedCiphertext("pad length \(padLength) exceeds \(plain.count - 1)")
        }
        plain.removeLast(padLength + 1)
        return plain
    }

    /// Verifies the ICV and decrypts; a non-AEAD body is decrypted whatever the ICV says.
    private func inspect(message: [UInt8], offset: Int,
                         extraLength: Int) throws(CryptoError) -> Inspection {
        let ivLength = suite.ivLength
        let icvLength = suite.icvLength
        guard offset >= IKEHeader.size, message.count >= offset + 4 + extraLength else {
            throw .malformedCiphertext("SK payload offset \(offset) in \(message.count) octets")
        }
        let headerLength = Int(message[24]) << 24 | Int(message[25]) << 16
            | Int(message[26]) << 8 | Int(message[27])
        let payloadLength = Int(message[offset + 2]) << 8 | Int(message[offset + 3])
        guard headerLength == message.count, payloadLength == message.count - offset else {
            throw .malformedCiphertext("SK payload is not the last payload of the message")
        }
        let ivStart = offset + 4 + extraLength
        let bodyStart = ivStart + ivLength
        let macStart = message.count - icvLength
        let bodyLength = macStart - bodyStart
        guard bodyLength >= 1, bodyLength % suite.blockSize == 0 else {
            throw .malformedCiphertext("encrypted body of \(bodyLength) octets")
        }
        var plain = [UInt8](repeating: 0, count: bodyLength)
        let iv = Array(message[ivStart..<bodyStart])

        if suite.isAEAD {
            let ok = try withCryptoErrors { try message.withUnsafeBytes { all -> Bool in
                try aead(seal: false, key: receiveEncr, iv: iv,
                         aad: UnsafeRawBufferPointer(rebasing: all[0..<ivStart]),
                         input: Array(message[bodyStart...]), outputArray: &plain)
            } }
            return Inspection(iv: iv, decryptedBody: ok ? plain : nil, icvValid: ok)
        } else {
            let expected = message.withUnsafeBytes {
                integrity(key: receiveInteg, UnsafeRawBufferPointer(rebasing: $0[0..<macStart]))
            }
            let match = expected.withUnsafeBytes { e in
                message.withUnsafeBytes { m in
                    CRYPTO_memcmp(e.baseAddress, m.baseAddress! + macStart, icvLength) == 0
                }
            }
            try withCryptoErrors { try message.withUnsafeBytes { all in
                try plain.withUnsafeMutableBytes { out in
                    try cipher(encrypt: false, key: receiveEncr, iv: iv,
                               input: UnsafeRawBufferPointer(rebasing: all[bodyStart..<macStart]),
                               output: out)
                }
            } }
            return Inspection(iv: iv, decryptedBody: plain, icvValid: match)
        }
    }

    /// Walks the generic payload headers from the IKE header to `offset` and checks the
    /// type of the payload found there (RFC 7296 section 3.2).
    private static func checkPayloadType(_ message: [UInt8], offset: Int,
                                         expected: PayloadType) throws(CryptoError) {
        var type = message[16]
        var position = IKEHeader.size
        while position < offset {
            guard position + 4 <= message.count else { break }
            type = message[position]
            let length = Int(message[position + 2]) << 8 | Int(message[position + 3])
            guard length >= 4 else { break }
            position += length
        }
        guard position == offset, type == expected.rawValue else {
            throw .malformedCiphertext("no \(expected) payload at offset \(offset)")
        }
    }

    /// CBC IVs are random (unpredictable, RFC 7296 section 3.14); AEAD and CTR IVs are a
    /// per-key counter: unique, which is all RFC 5282, RFC 5930 and RFC 7634 ask.
    private func nextIV() -> [UInt8] {
        guard !suite.needsRandomIV else { return SecureRandom.bytes(suite.ivLength) }
        var iv = [UInt8]()
        iv.appendBigEndian(ivCounter.add(1, ordering: .relaxed).newValue)
        return iv
    }

    /// The truncated MAC of the INTEG transform (RFC 7296 section 3.14).
    private func integrity(key: SecretBytes, _ data: UnsafeRawBufferPointer) -> [UInt8] {
        key.withUnsafeBytes { k in suite.integrity!.icv(key: k, data) }
    }

    /// The non-AEAD ciphers (AES-CBC, 3DES-CBC, AES-CTR) through `EncryptionSuite.crypt`.
    private func cipher(encrypt: Bool, key: SecretBytes, iv: [UInt8],
                        input: UnsafeRawBufferPointer,
                        output: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        try withCryptoErrors { try key.withUnsafeBytes { k in
            try iv.withUnsafeBytes { v in
                _ = try suite.crypt(seal: encrypt, keymat: k, iv: v,
                                    aad: UnsafeRawBufferPointer(start: nil, count: 0),
                                    input: input, output: output)
            }
        } }
    }

    private func aead(seal: Bool, key: SecretBytes, iv: [UInt8], aad: UnsafeRawBufferPointer,
                      input: [UInt8], outputArray: inout [UInt8]) throws(CryptoError) -> Bool {
        try withCryptoErrors { try outputArray.withUnsafeMutableBytes { out -> Bool in
            try aead(seal: seal, key: key, iv: iv, aad: aad, input: input, output: out)
        } }
    }

    /// AEAD with keying material = cipher key | salt and nonce = salt | IV
    /// (`EncryptionSuite.crypt`).
    private func aead(seal: Bool, key: SecretBytes, iv: [UInt8], aad: UnsafeRawBufferPointer,
                      input: [UInt8],
                      output: UnsafeMutableRawBufferPointer) throws(CryptoError) -> Bool {
        try withCryptoErrors { try key.withUnsafeBytes { k -> Bool in
            try iv.withUnsafeBytes { v -> Bool in
                try input.withUnsafeBytes { i -> Bool in
                    try suite.crypt(seal: seal, keymat: k, iv: v, aad: aad, input: i,
                                    output: output)
                }
            }
        } }
    }
}
