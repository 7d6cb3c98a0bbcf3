// Thin adapters over APIs owned by other branches (crypto keys, BTNSAuth pin store and
// PAD). Everything the daemon needs from them goes through this file, so that merging
// `crypto` / `btns` means editing only here. Bodies marked PENDING are stand-ins that
// compile against the placeholder declarations on the shared base commit.

import COpenSSL
import Foundation
import IKEv2

/// Key types `ikectl genkey` can create.
public enum KeyType: String, Sendable, CaseIterable {
    case ed25519
    case ecdsaP256 = "ecdsa-p256"
}

/// Key operations the daemon and ikectl use.
enum Keys {
    /// A private key from PKCS#8 PEM text.
    static func privateKey(pem: String) throws -> PrivateKey {
        try PrivateKey(pem: pem)
    }

    /// A public key from SubjectPublicKeyInfo PEM text (whose DER the caller already
    /// decoded and checked the label of).
    static func publicKey(pem: String, der: [UInt8]) throws -> PublicKey {
        // PENDING crypto merge: `try PublicKey(pem: pem)`.
        try PublicKey(spkiDER: der)
    }

    /// ID_KEY_ID value strongSwan uses for a raw key: SHA-1 of the DER SPKI.
    static func keyID(_ key: PublicKey) -> [UInt8] {
        // PENDING crypto merge: `key.keyID`.
        sha1(key.spkiDER)
    }

    /// Short fingerprint for logs and `ikectl pubkey`.
    static func fingerprint(_ key: PublicKey) -> String {
        key.fingerprint
    }

    /// A new key pair (PENDING crypto merge: `PrivateKey.generate(...)`).
    static func generate(_ type: KeyType) throws -> PrivateKey {
        throw DaemonError("key generation (\(type.rawValue)) needs the crypto implementation, "
            + "which is not in this build yet")
    }

    /// PKCS#8 PEM of a private key (PENDING crypto merge: `key.pkcs8PEM`).
    static func pkcs8PEM(_ key: PrivateKey) throws -> String {
        throw DaemonError("exporting private keys needs the crypto implementation")
    }

    /// The public half of a private key (PENDING crypto merge: `key.publicKey`).
    static func publicKey(of key: PrivateKey) throws -> PublicKey {
        throw DaemonError("deriving public keys needs the crypto implementation")
    }

    /// SubjectPublicKeyInfo PEM of a public key (PENDING crypto merge: `key.pem`).
    static func pem(_ key: PublicKey) -> String {
        PEM.encode(label: "PUBLIC KEY", der: key.spkiDER)
    }

    /// Temporary: the daemon must not do its own crypto once `PublicKey.keyID` exists.
    private static func sha1(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        var len: UInt32 = 0
        _ = bytes.withUnsafeBytes { b in
            EVP_Digest(b.baseAddress, b.count, &out, &len, EVP_sha1(), nil)
        }
        return out
    }
}

/// A pin as `ikectl pins` shows it (mirrors BTNSAuth's `PinRecord`).
public struct PinInfo: Codable, Sendable, Hashable {
    public var id: String
    public var fingerprint: String
    public var firstSeen: Date
    public var lastSeen: Date
    public var saCount: Int
    public var refusedFingerprint: String?
    public var refusedAt: Date?

    public init(id: String, fingerprint: String, firstSeen: Date, lastSeen: Date, saCount: Int,
                refusedFingerprint: String? = nil, refusedAt: Date? = nil) {
        self.id = id
        self.fingerprint = fingerprint
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.saCount = saCount
        self.refusedFingerprint = refusedFingerprint
        self.refusedAt = refusedAt
    }
}

/// The leap-of-faith pin store, opened by path.
final class Pins: @unchecked Sendable {
    let path: String

    /// PENDING btns merge: `store = try PinStore(path: path)`.
    init(path: String) throws {
        self.path = path
    }

    /// PENDING btns merge: `try store.list().map { PinInfo(...) }`.
    func list() throws -> [PinInfo] {
        throw DaemonError("pin store \(path): BTNS pin store support is not in this build yet")
    }

    /// PENDING btns merge: `try store.forget(peerID: id)`.
    func forget(_ id: IDPayload) throws -> Bool {
        throw DaemonError("pin store \(path): BTNS pin store support is not in this build yet")
    }
}

/// The engine's authorization policy (PAD walks and pins).
enum Policies {
    /// PENDING btns merge: `PADPolicy(pinStore: pins?.store)`.
    static func make(pins: Pins?) -> any AuthorizationPolicy {
        InterimPolicy()
    }
}

/// Stand-in PAD until BTNSAuth lands: walk 1 in configuration order with non-BTNS entries
/// first, walk 2 allows exactly what the peer proposed, and BTNS peers are refused
/// because no pin can be recorded.
final class InterimPolicy: AuthorizationPolicy {
    func walk1(peerID: IDPayload, connections: [ConnectionConfig]) -> PADMatch? {
        if let i = connections.firstIndex(where: {
            !$0.remoteAuth.isBTNS && $0.remoteID.matches(peerID)
        }) {
            return PADMatch(connectionIndex: i, isBTNS: false)
        }
        if let i = connections.firstIndex(where: {
            $0.remoteAuth.isBTNS && $0.remoteID.matches(peerID)
        }) {
            return PADMatch(connectionIndex: i, isBTNS: true)
        }
        return nil
    }

    func walk2(peerTS: [TrafficSelector], connectionIndex: Int, peerIsBTNS: Bool,
               connections: [ConnectionConfig]) -> [TrafficSelector] {
        peerTS
    }

    func checkPin(peerID: IDPayload, key: PublicKey) -> PinCheck {
        .failed("no pin store in this build")
    }
}
