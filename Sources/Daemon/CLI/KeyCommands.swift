import Foundation
import Glibc
import IKEv2

/// `ikectl genkey` and `ikectl pubkey`: local key handling, no daemon involved.
enum KeyCommands {
    static func genkey(_ type: KeyType, out: String?) throws(DaemonError) {
        let pem: String
        do {
            pem = try Keys.pkcs8PEM(try Keys.generate(type))
        } catch let e as DaemonError {
            throw e
        } catch {
            throw DaemonError("cannot generate a \(type.rawValue) key: \(error)")
        }
        guard let out else { return print(pem, terminator: "") }
        try writeFile(out, pem, mode: 0o600, exclusive: true)
        Stderr.write("wrote \(type.rawValue) private key to \(out) (mode 0600)\n")
    }

    static func pubkey(input: String?, out: String?) throws(DaemonError) {
        let text: String
        if let input {
            text = try KeyFiles.read(input)
        } else {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let key = try KeyFiles.privateKey(text: text, name: input ?? "stdin")
        let pub: PublicKey
        do { pub = try Keys.publicKey(of: key) } catch {
            throw DaemonError("\(error)")
        }
        let pem = Keys.pem(pub)
        Stderr.write("keyid:\(Keys.keyID(pub).hexString)\nfingerprint \(Keys.fingerprint(pub))\n")
        guard let out else { return print(pem, terminator: "") }
        try writeFile(out, pem, mode: 0o644, exclusive: false)
    }

    /// Writes `text` with `mode`; `exclusive` refuses to overwrite (losing a private key
    /// by accident cannot be undone).
    static func writeFile(_ path: String, _ text: String, mode: mode_t,
                          exclusive: Bool) throws(DaemonError) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
        let fd = open(path, flags, mode)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw DaemonError("cannot write \(path): \(reason)"
                + (errno == EEXIST ? " (remove it first; keys are never overwritten)" : ""))
        }
        defer { close(fd) }
        fchmod(fd, mode)
        let bytes = Array(text.utf8)
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count else {
            throw DaemonError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
