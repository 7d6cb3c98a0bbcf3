import COpenSSL
import CSodium

/// Small helpers shared by the OpenSSL-backed implementations (internal only).
enum OSSL {
    /// A NUL-terminated C string in read-only data, valid forever. OSSL_PARAM and
    /// OSSL_PARAM_BLD keep raw pointers, so bridged Swift `String`s must never be used
    /// as parameter keys or values (see shared/notes/platform.md).
    @inline(__always) static func cString(_ s: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// Empties this thread's OpenSSL error queue and returns the first reason, if any.
    @discardableResult static func drainErrors() -> String? {
        var first: String?
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if first == nil, let reason = ERR_reason_error_string(code) {
                first = String(cString: reason)
            }
        }
        return first
    }

    /// A `.library` error naming the failed call, with the queued OpenSSL reason.
    static func failure(_ call: String) -> CryptoError {
        if let reason = drainErrors() { return .library("\(call): \(reason)") }
        return .library(call)
    }

    /// Zeroes a buffer that held key material (not optimised away).
    static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        if buffer.count > 0 { sodium_memzero(buffer.baseAddress, buffer.count) }
    }

    /// Reads the whole pending content of a memory BIO into wiped-on-release storage.
    static func readAllSecret(_ bio: OpaquePointer) -> SecretBytes {
        let pending = Int(BIO_ctrl_pending(bio))
        let out = SecretBytes(count: pending)
        let n = out.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(pending)) }
        precondition(Int(n) == pending || pending == 0, "BIO_read")
        return out
    }

    /// Reads the whole content of a memory BIO. The caller owns the BIO.
    static func readAll(_ bio: OpaquePointer) -> [UInt8] {
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, 1024) }
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<Int(n)])
        }
        sodium_memzero(&chunk, chunk.count)
        return out
    }
}

/// libsodium must be initialised once before its RNG is used from several threads.
enum Sodium {
    static let ready: Bool = sodium_init() >= 0

    @inline(__always) static func ensure() {
        precondition(ready, "sodium_init failed")
    }
}

/// Runs `body`, whose error is always a `CryptoError` but is erased by `rethrows` buffer
/// accessors (`withUnsafeBytes`), and restores the typed error.
@inline(__always)
func withCryptoErrors<T>(_ body: () throws -> T) throws(CryptoError) -> T {
    do {
        return try body()
    } catch let error as CryptoError {
        throw error
    } catch {
        throw .library("\(error)")
    }
}
