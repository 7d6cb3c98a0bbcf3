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

    static func read(_ path: String) throws(DaemonError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = access(path, F_OK) == 0 ? "not readable (permissions?)" : "not found"
            throw DaemonError("cannot read '\(path)': \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DaemonError("'\(path)' is not text (expected PEM)")
        }
        return text
    }

    /// True when group or others may read the file: a private key or PSK there leaks.
    static func isExposed(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_mode & 0o044 != 0
    }

    static func privateKey(at path: String) throws(DaemonError) -> PrivateKey {
        try privateKey(text: try read(path), name: path)
    }

    /// A private key from PEM text; `path` names it in errors.
    static func privateKey(text: String, name path: String) throws(DaemonError) -> PrivateKey {
        guard let block = PEM.firstBlock(text) else {
            throw DaemonError("'\(path)' holds no PEM block; expected a PKCS#8 private key "
                + "('-----BEGIN PRIVATE KEY-----', e.g. from 'ikectl genkey')")
        }
        switch block.label {
        case "PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY":
            // PKCS#8, or the traditional forms, which the crypto layer also reads.
            break
        case "ENCRYPTED PRIVATE KEY":
            throw DaemonError("'\(path)' is an encrypted private key; decrypt it with "
                + "'openssl pkey -in \(path) -out PLAIN.key'")
        default:
            throw DaemonError("'\(path)' holds a \(block.label), expected a PRIVATE KEY "
                + "(PKCS#8 PEM)")
        }
        do {
            return try Keys.privateKey(pem: text)
        } catch {
            throw DaemonError("cannot load private key '\(path)': \(error)")
        }
    }

    static func publicKey(at path: String) throws(DaemonError) -> PublicKey {
        let text = try read(path)
        guard let block = PEM.firstBlock(text) else {
            throw DaemonError("'\(path)' holds no PEM block; expected a public key "
                + "('-----BEGIN PUBLIC KEY-----', e.g. from 'ikectl pubkey')")
        }
        switch block.label {
        case "PUBLIC KEY":
            break
        case "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY":
            throw DaemonError("'\(path)' is a private key, but remote-key wants the peer's "
                + "public key; get it with 'ikectl pubkey --in \(path)'")
        case "CERTIFICATE":
            throw DaemonError("'\(path)' is an X.509 certificate; extract its key with "
                + "'openssl x509 -in \(path) -pubkey -noout'")
        default:
            throw DaemonError("'\(path)' holds a \(block.label), expected a PUBLIC KEY "
                + "(SubjectPublicKeyInfo PEM)")
        }
        do {
            return try Keys.publicKey(pem: text, der: block.der)
        } catch {
            throw DaemonError("cannot load public key '\(path)': \(error)")
        }
    }
}
