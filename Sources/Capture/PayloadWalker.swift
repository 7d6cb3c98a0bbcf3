import IKEv2

/// Walks a payload chain (RFC 7296 section 3.2) one generic header at a time, so that a
/// malformed payload costs only itself: its body error is recorded and the walk goes on
/// to the next payload as long as the lengths still make sense.
///
/// Each body is decoded by the project's codec (`MessageCodec.decodePayloads` over that
/// single payload), so the capture decoder and the daemon agree on what is well formed.
enum PayloadWalker {
    struct Walk {
        var payloads: [PayloadReport] = []
        /// One-line problems with their offsets ("malformed IKE at offset ...").
        var errors: [String] = []
    }

    /// Walks `bytes`, whose first octet has offset `origin` in the message (or plaintext);
    /// `what` names the region in errors ("IKE", "inner payloads").
    static func walk(_ bytes: ArraySlice<UInt8>, first: UInt8, origin: Int,
                     what: String) -> Walk {
        var walk = Walk()
        var type = first
        var i = bytes.startIndex
        func offset(_ index: Int) -> Int { origin + index - bytes.startIndex }
        func fail(_ at: Int, _ code: String, _ reason: String) {
            walk.errors.append("malformed \(what) at offset \(at): \(code): \(reason)")
        }
        while type != 0 {
            let name = PayloadNames.name(type)
            guard i < bytes.endIndex else {
                fail(offset(i), "invalidLength", "chain announces a \(name) payload, data ends")
                break
            }
            guard let lengthField = bytes.be16(at: i + 2) else {
                fail(offset(i), "invalidLength",
                     "\(name) generic header needs 4 octets, have \(bytes.endIndex - i)")
                break
            }
            let next = bytes[i]
            let critical = bytes[i + 1] & 0x80 != 0
            let length = Int(lengthField)
            var report = PayloadReport(type: type, length: length, critical: critical,
                                       offset: offset(i), nextPayload: next)
            guard length >= 4, length <= bytes.endIndex - i else {
                let reason = length < 4
                    ? "\(name) Payload Length \(length) is below 4"
                    : "\(name) Payload Length \(length) runs past the data "
                        + "(\(bytes.endIndex - i) octets left)"
                report.error = "bad length: " + reason
                walk.payloads.append(report)
                fail(offset(i) + 2, "invalidLength", reason)
                break
            }
            let whole = bytes[i..<(i + length)]
            let problem = type == PayloadType.sk.rawValue || type == PayloadType.skf.rawValue
                ? decodeEncrypted(whole, into: &report)
                : decodeBody(whole, into: &report)
            if let problem {
                report.error = "\(problem.code): \(problem.reason)"
                fail(problem.offset, problem.code, problem.reason)
            }
            walk.payloads.append(report)
            i += length
            if type == PayloadType.sk.rawValue || type == PayloadType.skf.rawValue {
                // Section 3.14: SK ends the outer chain; its Next Payload is the inner one.
                if i < bytes.endIndex {
                    fail(offset(i), "invalidSyntax",
                         "\(bytes.endIndex - i) octets after the \(name) payload")
                }
                return walk
            }
            type = next
        }
        if type == 0, i < bytes.endIndex {
            fail(offset(i), "invalidLength", "\(bytes.endIndex - i) octets after the last payload")
        }
        return walk
    }

    /// Where and why a payload body did not decode.
    private struct Problem {
        var offset: Int
        var code: String
        var reason: String
    }

    /// Decodes one non-SK payload with the codec.
    private static func decodeBody(_ whole: ArraySlice<UInt8>,
                                   into report: inout PayloadReport) -> Problem? {
        // The payload alone, as a one-payload chain: Next Payload 0.
        var single = Array(whole)
        single[0] = 0
        do {
            let type = PayloadType(rawValue: report.type)
            let decoded = try MessageCodec.decodePayloads(single[...], firstPayload: type)
            report.decoded = decoded.first
            return nil
        } catch {
            if report.type == PayloadType.idi.rawValue || report.type == PayloadType.idr.rawValue {
                // An ID payload too short for its header still shows its ID Type octet.
                report.truncatedIDType = whole.count > 4 ? whole[whole.startIndex + 4] : nil
            }
            return Problem(offset: report.offset + error.offset, code: error.code.rawValue,
                           reason: error.reason)
        }
    }

    /// SK keeps its body opaque here; SKF also has Fragment Number and Total Fragments.
    private static func decodeEncrypted(_ whole: ArraySlice<UInt8>,
                                        into report: inout PayloadReport) -> Problem? {
        let body = whole.dropFirst(4)
        let first = PayloadType(rawValue: report.nextPayload)
        if report.type == PayloadType.sk.rawValue {
            report.decoded = .sk(EncryptedPayload(firstPayload: first, body: Array(body)))
            return nil
        }
        guard let number = body.be16(at: body.startIndex),
              let total = body.be16(at: body.startIndex + 2)
        else {
            return Problem(offset: report.offset + 4, code: "invalidLength",
                           reason: "SKF needs Fragment Number and Total Fragments")
        }
        report.decoded = .skf(EncryptedFragmentPayload(
            firstPayload: first, fragmentNumber: number, totalFragments: total,
            body: Array(body.dropFirst(4))))
        return nil
    }
}
