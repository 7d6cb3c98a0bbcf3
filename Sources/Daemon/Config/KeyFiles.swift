import Foundation
import Glibc
import IKEv2

/// Reads key and secret files named in the configuration, with errors that say what
/// the file was expected to hold and how to get one.
enum KeyFiles {
    /// Resolves `path` against the configuration file's directory.
    static func resolve(_ path: String, base: String) -> String {
        if path.hasPrefix("/") || base.isEmpty { return path }
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }

    /// What a file named in the configuration (or the configuration itself) should be,
    /// for size limits and for errors that say how to get a right one.
    enum FileKind {
        case config
        case privateKey
        case publicKey
        case psk

        /// Larger files are refused without reading them whole.
        var sizeLimit: Int { self == .config ? 4 << 20 : 1 << 20 }

        var limitText: String { self == .config ? "4 MiB" : "1 MiB" }

        /// What the file should hold, for "is empty" and "is not text" messages.
        var expected: String {
            switch self {
            case .config: return "an iked configuration (see docs/configuration.md)"
            case .privateKey: return "a PEM private key, e.g. from 'ikectl genkey'"
            case .publicKey: return "a PEM public key, e.g. from 'ikectl pubkey'"
            case .psk: return "a pre-shared key of at least 16 octets"
            }
        }

        /// How to create a missing file named `path`.
        func howToCreate(_ path: String) -> String {
            switch self {
            case .config: return ""
            case .privateKey: return " (create one with 'ikectl genkey --out \(path)')"
            case .publicKey:
                return " (make it from the private key with 'ikectl pubkey --in KEY --out "
                    + "\(path)', or get it from the peer)"
            case .psk: return " (create one with 'openssl rand -base64 24 > \(path)')"
            }
        }
    }

    /// Reads a text file, with errors that say what is wrong with it: missing, a
    /// directory, unreadable, empty, too large or not text. An empty configuration is
    /// not an error (it defines nothing, which the parser warns about).
    static func read(_ path: String, as kind: FileKind = .privateKey) throws(DaemonError)
        -> String
    {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw DaemonError("cannot read '\(path)': not found\(kind.howToCreate(path))")
            }
            throw DaemonError("cannot read '\(path)': \(String(cString: strerror(code)))")
        }
        if st.st_mode & S_IFMT == S_IFDIR {
            throw DaemonError("cannot read '\(path)': it is a directory")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            let code = errno
            let reason = code == EACCES
                ? "permission denied (run as a user who may read it, or fix its mode)"
                : String(cString: strerror(code))
            throw DaemonError("cannot read '\(path)': \(reason)")
        }
        defer { close(fd) }
        // Read at most one octet past the limit: enough to know it is too large, and
        // safe on devices and pipes that never end.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= kind.sizeLimit {
            let want = min(chunk.count, kind.sizeLimit + 1 - bytes.count)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, want) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                throw DaemonError("cannot read '\(path)': \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        if bytes.count > kind.sizeLimit {
            let what = kind == .config ? "configuration files" : "key and secret files"
            throw DaemonError("'\(path)' is larger than \(kind.limitText); \(what) are limited "
                + "to \(kind.limitText) (is it the right file?)")
        }
        if bytes.isEmpty && kind != .config {
            throw DaemonError("'\(path)' is empty; expected \(kind.expected)")
        }
        guard let text = String(validating: bytes, as: UTF8.self), !bytes.contains(0) else {
            if kind == .config {
                throw DaemonError("'\(path)' is not a text file (binary data?); expected "
                    + kind.expected)
            }
            throw DaemonError("'\(path)' is not text; expected \(kind.expected)")
        }
        return text
    }

    /// True when group or others may read the file: a private key or PSK there leaks.
    static func isExposed(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_mode & 0o044 != 0
    }

    static func privateKey(at path: String) throws(DaemonError) -> PrivateKey {
        try privateKey(text: try read(path, as: .privateKey), name: path)
    }

    /// RSA keys shorter than this are refused (RFC 8247 section 3.2 and NIST SP 800-131A:
    /// 1024-bit RSA no longer gives the security the negotiated algorithms do).
    static let minimumRSABits = 2048

    /// What `local-key` accepts, for error messages.
    static let acceptedPrivateKeys = "Ed25519, ECDSA P-256/P-384 or RSA (2048 bits or more), "
        + "as PKCS#8 ('-----BEGIN PRIVATE KEY-----', e.g. from 'ikectl genkey') or "
        + "traditional EC/RSA PEM"

    /// A private key from PEM text; `path` names it in errors.
    static func privateKey(text: String, name path: String) throws(DaemonError) -> PrivateKey {
        guard let block = PEM.firstBlock(text) else {
            throw DaemonError("'\(path)' holds no PEM block; expected a private key: "
                + acceptedPrivateKeys)
        }
        switch block.label {
        case "PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY":
            // PKCS#8, or the traditional forms, which the crypto layer also reads.
            break
        case "ENCRYPTED PRIVATE KEY":
            throw DaemonError("'\(path)' is an encrypted private key; decrypt it with "
                + "'openssl pkey -in \(path) -out PLAIN.key'")
        case "PUBLIC KEY", "RSA PUBLIC KEY":
            throw DaemonError("'\(path)' is a public key, but a private key is needed here "
                + "(create one with 'ikectl genkey --out FILE')")
        default:
            throw DaemonError("'\(path)' holds a \(block.label), expected a private key: "
                + acceptedPrivateKeys)
        }
        let key: PrivateKey
        do {
            key = try Keys.privateKey(pem: text)
        } catch {
            throw DaemonError("cannot load private key '\(path)': \(error)")
        }
        try checkStrength(key.publicKey, path)
        return key
    }

    /// Refuses RSA keys shorter than `minimumRSABits`.
    static func checkStrength(_ key: PublicKey, _ path: String) throws(DaemonError) {
        guard key.algorithm == .rsa, let bits = rsaModulusBits(spki: key.spkiDER),
              bits < minimumRSABits else { return }
        throw DaemonError("'\(path)' is a \(bits)-bit RSA key; RSA keys must have at least "
            + "\(minimumRSABits) bits (or use 'ikectl genkey' for an Ed25519 key)")
    }

    /// Bit length of the modulus of an RSA SubjectPublicKeyInfo (RFC 3279 section 2.3.1:
    /// SEQUENCE { AlgorithmIdentifier, BIT STRING { SEQUENCE { INTEGER n, INTEGER e } } }).
    static func rsaModulusBits(spki der: [UInt8]) -> Int? {
        var r = DERReader(der[...])
        guard var spki = r.enter(0x30) else { return nil }
        guard spki.skip(0x30), let bits = spki.read(0x03), bits.first == 0 else { return nil }
        var inner = DERReader(bits.dropFirst())
        guard var rsa = inner.enter(0x30), var n = rsa.read(0x02) else { return nil }
        while n.first == 0 { n = n.dropFirst() }
        guard let top = n.first else { return 0 }
        return (n.count - 1) * 8 + (8 - top.leadingZeroBitCount)
    }

    static func publicKey(at path: String) throws(DaemonError) -> PublicKey {
        let text = try read(path, as: .publicKey)
        guard let block = PEM.firstBlock(text) else {
            throw DaemonError("'\(path)' holds no PEM block; expected a public key "
                + "('-----BEGIN PUBLIC KEY-----', e.g. from 'ikectl pubkey')")
        }
        switch block.label {
        case "PUBLIC KEY":
            break
        case "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY":
            throw DaemonError("'\(path)' is a private key, but remote-key wants the peer's "
                + "public key; get it with 'ikectl pubkey --in \(path)'")
        case "CERTIFICATE":
            throw DaemonError("'\(path)' is an X.509 certificate; extract its key with "
                + "'openssl x509 -in \(path) -pubkey -noout'")
        case "RSA PUBLIC KEY":
            throw DaemonError("'\(path)' is a PKCS#1 RSA public key; convert it with "
                + "'openssl rsa -RSAPublicKey_in -in \(path) -pubout -out FILE.pub'")
        default:
            throw DaemonError("'\(path)' holds a \(block.label), expected a PUBLIC KEY "
                + "(SubjectPublicKeyInfo PEM)")
        }
        let key: PublicKey
        do {
            key = try Keys.publicKey(pem: text, der: block.der)
        } catch {
            throw DaemonError("cannot load public key '\(path)': \(error)")
        }
        try checkStrength(key, path)
        return key
    }
}

/// Just enough DER to walk an RSA SubjectPublicKeyInfo.
struct DERReader {
    private var rest: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { rest = bytes }

    /// The contents of the next element if its tag is `tag`; advances past it.
    mutating func read(_ tag: UInt8) -> ArraySlice<UInt8>? {
        guard rest.count >= 2, rest.first == tag else { return nil }
        var i = rest.startIndex + 1
        var length = Int(rest[i])
        i += 1
        if length & 0x80 != 0 {
            let n = length & 0x7f
            guard n >= 1, n <= 4, rest.endIndex - i >= n else { return nil }
            length = 0
            for _ in 0..<n {
                length = length << 8 | Int(rest[i])
                i += 1
            }
        }
        guard rest.endIndex - i >= length else { return nil }
        let contents = rest[i..<(i + length)]
        rest = rest[(i + length)...]
        return contents
    }

    mutating func enter(_ tag: UInt8) -> DERReader? { read(tag).map { DERReader($0) } }

    mutating func skip(_ tag: UInt8) -> Bool { read(tag) != nil }
}
