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

    /// iked's store, created when missing; a corrupt one is refused.
    init(path: String) throws(PinStoreError) {
        store = try PinStore(path: path, access: .create)
    }

    /// An existing store, for ikectl: read-only, or read-write without creating it.
    init(existing path: String, readOnly: Bool) throws(PinStoreError) {
        store = try PinStore(path: path, access: readOnly ? .readOnly : .readWrite)
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
    /// `onPinFailure` hears of every pin store failure during a BTNS check (the peer
    /// is refused then), so that the daemon can log it at error level.
    static func make(pins: Pins?,
                     onPinFailure: @escaping @Sendable (IDPayload, String) -> Void = { _, _ in })
        -> any AuthorizationPolicy
    {
        ReportingPolicy(PADPolicy(pinStore: pins?.store), onPinFailure: onPinFailure)
    }
}

/// Forwards to another policy and reports `PinCheck.failed`.
final class ReportingPolicy: AuthorizationPolicy {
    let inner: any AuthorizationPolicy
    let onPinFailure: @Sendable (IDPayload, String) -> Void

    init(_ inner: any AuthorizationPolicy,
         onPinFailure: @escaping @Sendable (IDPayload, String) -> Void) {
        self.inner = inner
        self.onPinFailure = onPinFailure
    }

    func walk1(peerID: IDPayload, presentedKey: PublicKey?,
               connections: [ConnectionConfig]) -> PADMatch? {
        inner.walk1(peerID: peerID, presentedKey: presentedKey, connections: connections)
    }

    func walk2(peerTS: [TrafficSelector], connectionIndex: Int, peerIsBTNS: Bool,
               connections: [ConnectionConfig]) -> [TrafficSelector] {
        inner.walk2(peerTS: peerTS, connectionIndex: connectionIndex, peerIsBTNS: peerIsBTNS,
                    connections: connections)
    }

    func checkPin(peerID: IDPayload, key: PublicKey) -> PinCheck {
        let result = inner.checkPin(peerID: peerID, key: key)
        if case .failed(let why) = result { onPinFailure(peerID, why) }
        return result
    }
}
