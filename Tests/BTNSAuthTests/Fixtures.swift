import Glibc
import IKEv2

/// Test helpers shared by the BTNSAuth suites.
enum Fixture {
    /// A PAD entry: a connection whose remote side is `id` / `auth` / `remoteTS`.
    static func entry(_ name: String, _ id: IDMatcher, _ auth: PeerCredential,
                      remoteTS: [String]) -> ConnectionConfig {
        ConnectionConfig(
            name: name, remoteID: id, localAuth: .psk(SecretBytes([1, 2, 3])),
            remoteAuth: auth, ikeProposals: [], espProposals: [], localTS: [],
            remoteTS: remoteTS.map { TrafficSelector(cidr: $0)! })
    }

    static func id(_ text: String) -> IDPayload { IDPayload(text: text)! }

    static func ts(_ text: String) -> TrafficSelector { TrafficSelector(cidr: text)! }

    static func psk() -> PeerCredential { .psk(SecretBytes(Array("secret".utf8))) }

    /// Ed25519 SubjectPublicKeyInfo DER: fixed prefix + 32 key octets (RFC 8410).
    static func ed25519(_ key: [UInt8]) -> PublicKey {
        try! PublicKey(spkiDER: [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                                 0x03, 0x21, 0x00] + key)
    }

    /// strongSwan interop key a.pub (/work/shared/interop/strongswan/a/swanctl/pubkey).
    static let keyA = ed25519([UInt8](hex:
        "aeccecdf99950e1c9e2bf111efe2e46cbdb63f2a26c32c2162368830f07e4291")!)
    /// strongSwan interop key b.pub.
    static let keyB = ed25519([UInt8](hex:
        "93d3a24caf15543b77ed7289bf907e9cd00821dd1ce56ae206bcae882f48279d")!)

    /// A fresh empty directory under /tmp.
    static func tempDir() -> String {
        var template = Array("/tmp/btns-test-XXXXXX".utf8CString)
        let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let p else { fatalError("mkdtemp failed") }
        return String(cString: p)
    }

    /// Removes `dir` and everything in it.
    static func remove(_ path: String) {
        if let d = opendir(path) {
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) {
                    String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name != "." && name != ".." { remove(path + "/" + name) }
            }
            closedir(d)
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
