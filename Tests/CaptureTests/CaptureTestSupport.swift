import Foundation
import Testing
@testable import Capture

/// Paths and helpers for reading the shared third-party captures in place
/// (`<repo>/../shared/vectors/captures`); nothing is copied into the repository.
enum Vectors {
    static let captures: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/vectors/captures")

    static func url(_ relative: String) -> URL { captures.appendingPathComponent(relative) }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(relative)))
    }

    static func json(_ relative: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(relative)))
    }

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }

    /// Decodes a capture in process, exactly as `ikectl decode` does.
    static func decode(_ relative: String, keys: KeyTable? = nil) throws -> [FrameReport] {
        let contents = CaptureFile.read(try bytes(relative))
        #expect(contents.problem == nil, "\(relative): \(contents.problem ?? "")")
        return FrameDecoder.decode(contents, keys: keys)
    }

    /// `decode --json` of a capture, each line parsed back with JSONSerialization.
    static func decodeJSON(_ relative: String, keys: KeyTable? = nil) throws -> [[String: Any]] {
        try decode(relative, keys: keys).map { report in
            let line = JSONRenderer.render(report).serialized
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any])
        }
    }
}

/// Field-by-field comparison of an expected JSON value with the decoder's output.
///
/// Every member of `expected` must be present in `actual` with an equal value (the
/// decoder may add members the schema does not have, such as `errors`). Numbers and
/// booleans compare as JSON values. One exception: `error` strings are tool-specific
/// (the vectors carry Python exception texts), so for them only presence is checked.
enum JSONDiff {
    static func differences(_ expected: Any, _ actual: Any?, path: String) -> [String] {
        guard let actual else { return ["\(path): missing (expected \(short(expected)))"] }
        switch expected {
        case let e as [String: Any]:
            guard let a = actual as? [String: Any] else {
                return ["\(path): expected an object, got \(short(actual))"]
            }
            return e.keys.sorted().flatMap { key -> [String] in
                if key == "error" {
                    let present = (a[key] as? String).map { !$0.isEmpty } ?? false
                    return present ? [] : ["\(path).error: missing (expected an error)"]
                }
                return differences(e[key]!, a[key], path: "\(path).\(key)")
            }
        case let e as [Any]:
            guard let a = actual as? [Any] else {
                return ["\(path): expected an array, got \(short(actual))"]
            }
            var out = e.count == a.count ? [] : ["\(path): \(e.count) elements expected, got \(a.count)"]
            for i in 0..<min(e.count, a.count) {
                out += differences(e[i], a[i], path: "\(path)[\(i)]")
            }
            return out
        default:
            return scalarEqual(expected, actual) ? []
                : ["\(path): expected \(short(expected)), got \(short(actual))"]
        }
    }

    private static func scalarEqual(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case let (x as String, y as String): return x == y
        case let (x as NSNumber, y as NSNumber):
            // JSONSerialization gives NSNumber for both numbers and booleans.
            // A boolean's objCType is "c" (char); integers are "i", "q", ...
            let xb = String(cString: x.objCType) == "c"
            let yb = String(cString: y.objCType) == "c"
            return xb == yb && x == y
        case (is NSNull, is NSNull): return true
        default: return false
        }
    }

    private static func short(_ v: Any) -> String {
        let s = "\(v)"
        return s.count > 80 ? String(s.prefix(77)) + "..." : s
    }
}
