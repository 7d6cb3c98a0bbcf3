// Thin adapters over APIs owned by other branches (crypto keys, BTNSAuth pin store and
// PAD). Everything the daemon needs from them goes through this file, so that a change
// there means editing only here.

import BTNSAuth
import Foundation
import IKEv2

/// Key types `ikectl genkey` can create.
public enum KeyType: String, Sendable, CaseIterable {
    case ed25519
    case ecdsaP256 = "ecdsa-p256"

    var algorithm: KeyAlgorithm {
        switch self {
        case .ed25519: return .ed25519
        case .ecdsaP256: return .ecdsaP256
        }
    }
}

/// Key operations the daemon and ikectl use.
enum Keys {
    /// A private key from PKCS#8 PEM text.
    static func privateKey(pem: String) throws -> PrivateKey {
        try PrivateKey(pem: pem)
    }

    /// A public key from SubjectPublicKeyInfo PEM text (whose label the caller checked).
    static func publicKey(pem: String, der: [UInt8]) throws -> PublicKey {
        try PublicKey(pem: pem)
    }

    /// ID_KEY_ID value strongSwan uses for a raw key: SHA-1 of the DER SPKI.
    static func keyID(_ key: PublicKey) -> [UInt8] { key.keyID }

    /// Short fingerprint for logs and `ikectl pubkey`.
    static func fingerprint(_ key: PublicKey) -> String { key.fingerprint }

    static func generate(_ type: KeyType) throws -> PrivateKey {
        try PrivateKey.generate(type.algorithm)
    }

    static func pkcs8PEM(_ key: PrivateKey) throws -> String { key.pkcs8PEM }

    static func publicKey(of key: PrivateKey) throws -> PublicKey { key.publicKey }

    /// SubjectPublicKeyInfo PEM of a public key.
    static func pem(_ key: PublicKey) -> String { key.pem }
}

/// The leap-of-faith pin store, opened by path.
final class Pins: @unchecked Sendable {
    let store: PinStore

    init(path: String) throws {
        store = try PinStore(path: path)
    }

    func list() throws -> [PinRecord] {
        try store.list()
    }

    func forget(_ id: IDPayload) throws -> Bool {
        try store.forget(peerID: id)
    }
}

/// The engine's authorization policy: BTNSAuth's PAD walks and pin checks.
enum Policies {
    static func make(pins: Pins?) -> any AuthorizationPolicy {
        PADPolicy(pinStore: pins?.store)
    }
}
