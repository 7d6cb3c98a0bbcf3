import Foundation

/// Minimal PEM framing (RFC 7468): enough to tell a private key file from a public key
/// file and to give an error that says which one was found.
enum PEM {
    struct Block {
        var label: String
        var der: [UInt8]
    }

    /// The first PEM block of `text`; nil when there is none or its base64 is broken.
    static func firstBlock(_ text: String) -> Block? {
        var label: String?
        var body = ""
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if label == nil {
                if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                    label = String(line.dropFirst(11).dropLast(5))
                }
            } else if line.hasPrefix("-----END ") {
                guard let der = Data(base64Encoded: body) else { return nil }
                return Block(label: label!, der: Array(der))
            } else {
                body += line
            }
        }
        return nil
    }

    static func encode(label: String, der: [UInt8]) -> String {
        let b64 = Data(der).base64EncodedString(options: [.lineLength64Characters,
                                                          .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(b64)\n-----END \(label)-----\n"
    }
}
