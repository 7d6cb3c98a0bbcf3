import COpenSSL
import CShim

/// X.500 distinguished names as ID_DER_ASN1_DN carries them (RFC 7296 section 3.5: the
/// DER encoding of an ASN.1 X.500 Name), built and read with OpenSSL's X509_NAME
/// functions.
///
/// Text form: `CN=host,O=Example` — attribute=value pairs separated by `,` (or `/`
/// with a leading `/`, OpenSSL's `-subj` style), **in the order of the DER encoding**,
/// the way strongSwan and `openssl x509 -nameopt compat` write a subject; this is not
/// the reversed order of RFC 4514. Blanks around `,` and `=` are ignored; `\,` is a
/// literal comma. Attribute types are OpenSSL's short or long names (CN, O, OU, C, L,
/// ST, emailAddress, ...) or dotted OIDs. Values are encoded as UTF8String (C as
/// PrintableString), OpenSSL's default.
public enum DistinguishedName {
    /// The DER Name for `text`, or why it is not one.
    public static func der(fromText text: String) -> Result<[UInt8], CryptoError> {
        let pairs: [(String, String)]
        switch split(text) {
        case .success(let p): pairs = p
        case .failure(let e): return .failure(e)
        }
        guard let name = X509_NAME_new() else { return .failure(OSSL.failure("X509_NAME_new")) }
        defer { X509_NAME_free(name) }
        for (type, value) in pairs {
            let bytes = Array(value.utf8)
            let ok = bytes.withUnsafeBufferPointer { buf in
                X509_NAME_add_entry_by_txt(name, type, MBSTRING_UTF8, buf.baseAddress,
                                           Int32(buf.count), -1, 0)
            }
            guard ok == 1 else {
                OSSL.drainErrors()
                return .failure(.invalidKey("unknown attribute type '\(type)' or bad value "
                                            + "'\(value)' in distinguished name '\(text)'"))
            }
        }
        return encode(name).map { .success($0) }
            ?? .failure(OSSL.failure("i2d_X509_NAME"))
    }

    /// `CN=host,O=Example` for a DER Name (short names, DER order); nil when `der` is
    /// not a Name.
    public static func text(fromDER der: [UInt8]) -> String? {
        guard let name = decode(der) else { return nil }
        defer { X509_NAME_free(name) }
        var parts: [String] = []
        for i in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, i),
                  let object = X509_NAME_ENTRY_get_object(entry),
                  let data = X509_NAME_ENTRY_get_data(entry) else { return nil }
            let nid = OBJ_obj2nid(object)
            var type: String
            if nid != NID_undef, let sn = OBJ_nid2sn(nid) {
                type = String(cString: sn)
            } else {
                var buf = [CChar](repeating: 0, count: 128)
                _ = OBJ_obj2txt(&buf, Int32(buf.count), object, 1)
                type = String(cString: buf)
            }
            var out: UnsafeMutablePointer<UInt8>?
            let n = ASN1_STRING_to_UTF8(&out, data)
            guard n >= 0, let out else { return nil }
            let value = String(decoding: UnsafeBufferPointer(start: out, count: Int(n)),
                               as: UTF8.self)
            shim_OPENSSL_free(out)
            if type.isEmpty { type = "?" }
            parts.append("\(type)=" + value.replacingAll(",", with: "\\,"))
        }
        return parts.joined(separator: ",")
    }

    /// True when `a` and `b` are the same Name: the same DER octets, or equal under
    /// OpenSSL's canonical comparison (`X509_NAME_cmp`: string types unified, case and
    /// inner blanks folded, as RFC 5280 section 7.1 compares names), so a peer that
    /// encodes a value as PrintableString still matches a configured UTF8String.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        if a == b { return true }
        guard let x = decode(a) else { return false }
        defer { X509_NAME_free(x) }
        guard let y = decode(b) else { return false }
        defer { X509_NAME_free(y) }
        return X509_NAME_cmp(x, y) == 0
    }

    // MARK: - Helpers

    private static func decode(_ der: [UInt8]) -> OpaquePointer? {
        guard !der.isEmpty else { return nil }
        return der.withUnsafeBufferPointer { buf -> OpaquePointer? in
            var p: UnsafePointer<UInt8>? = buf.baseAddress
            let name = d2i_X509_NAME(nil, &p, buf.count)
            // Trailing octets after the Name: not a Name.
            if let name, p != buf.baseAddress! + buf.count {
                X509_NAME_free(name)
                return nil
            }
            return name
        }
    }

    private static func encode(_ name: OpaquePointer) -> [UInt8]? {
        var out: UnsafeMutablePointer<UInt8>?
        let n = i2d_X509_NAME(name, &out)
        guard n > 0, let out else { return nil }
        defer { shim_OPENSSL_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(n)))
    }

    /// `TYPE=VALUE` pairs of the text form, in order.
    private static func split(_ text: String) -> Result<[(String, String)], CryptoError> {
        var body = Substring(text)
        var separator: Character = ","
        if body.hasPrefix("/") {
            separator = "/"
            body = body.dropFirst()
        }
        var fields: [String] = []
        var current = ""
        var escaped = false
        for ch in body {
            if escaped {
                current.append(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == separator {
                fields.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        fields.append(current)
        var pairs: [(String, String)] = []
        for field in fields {
            guard let eq = field.firstIndex(of: "=") else {
                return .failure(.invalidKey("'\(field)' in distinguished name '\(text)' is not "
                                            + "TYPE=VALUE"))
            }
            let type = field[..<eq].trimmingBlanks()
            let value = field[field.index(after: eq)...].trimmingBlanks()
            guard !type.isEmpty, !value.isEmpty else {
                return .failure(.invalidKey("'\(field)' in distinguished name '\(text)' has an "
                                            + "empty type or value"))
            }
            pairs.append((type, value))
        }
        return .success(pairs)
    }
}

private extension StringProtocol {
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
