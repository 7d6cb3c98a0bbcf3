import Glibc

extension IDPayload {
    /// Parses the text form used in configuration and by ikectl:
    /// `fqdn:NAME`, `email:USER@NAME`, `ipv4:A.B.C.D`, `ipv6:ADDR`, `keyid:HEX`,
    /// `dn:CN=NAME,O=ORG` (see `DistinguishedName`), or a bare
    /// value (an IP address, `user@name` for RFC822, otherwise FQDN). Nil when malformed.
    public init?(text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        if parts.count == 2, let kind = parts.first {
            let value = parts[1]
            switch kind.lowercased() {
            case "fqdn":
                guard !value.isEmpty else { return nil }
                self.init(type: .fqdn, data: Array(value.utf8))
                return
            case "email", "rfc822":
                guard !value.isEmpty else { return nil }
                self.init(type: .rfc822Addr, data: Array(value.utf8))
                return
            case "ipv4", "ipv6":
                guard let a = IPAddress(value), a.isV4 == (kind.lowercased() == "ipv4") else {
                    return nil
                }
                self.init(type: a.isV4 ? .ipv4Addr : .ipv6Addr, data: a.bytes)
                return
            case "keyid":
                guard let bytes = [UInt8](hex: value), !bytes.isEmpty else { return nil }
                self.init(type: .keyID, data: bytes)
                return
            case "dn", "asn1dn":
                guard case .success(let der) = DistinguishedName.der(fromText: value) else {
                    return nil
                }
                self.init(type: .derASN1DN, data: der)
                return
            default:
                break
            }
        }
        if let a = IPAddress(text) {
            self.init(type: a.isV4 ? .ipv4Addr : .ipv6Addr, data: a.bytes)
        } else if text.isEmpty || text.contains(" ") {
            return nil
        } else if text.contains("@") {
            self.init(type: .rfc822Addr, data: Array(text.utf8))
        } else {
            self.init(type: .fqdn, data: Array(text.utf8))
        }
    }

    /// Readable form, the inverse of `init(text:)`: `fqdn:a.lab.test`, `keyid:0a1b…`.
    public var displayString: String {
        switch type {
        case .fqdn: return "fqdn:" + String(decoding: data, as: UTF8.self)
        case .rfc822Addr: return "email:" + String(decoding: data, as: UTF8.self)
        case .ipv4Addr, .ipv6Addr:
            if let a = IPAddress(bytes: data) { return (a.isV4 ? "ipv4:" : "ipv6:") + "\(a)" }
            return "\(type):" + data.hexString
        case .keyID: return "keyid:" + data.hexString
        case .derASN1DN:
            return DistinguishedName.text(fromDER: data).map { "dn:" + $0 }
                ?? "\(type):" + data.hexString
        default: return "\(type):" + data.hexString
        }
    }
}

extension Array where Element == UInt8 {
    /// Parses hex digits, optionally separated by ':' or spaces; nil on any other character.
    public init?(hex: String) {
        var out = [UInt8]()
        var high: UInt8? = nil
        for c in hex.utf8 {
            if c == UInt8(ascii: ":") || c == UInt8(ascii: " ") { continue }
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        guard high == nil else { return nil }
        self = out
    }
}

extension Collection where Element == UInt8 {
    /// Lower-case hex, no separators.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
