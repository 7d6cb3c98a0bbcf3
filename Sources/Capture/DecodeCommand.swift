import Foundation

/// `ikectl decode [--keys FILE] [--json] CAPTURE...`: reads captures, decodes every frame,
/// and prints one block (text) or one JSON object per line (`--json`) per frame.
///
/// Problems in a frame are reported in its output and decoding goes on; the exit status
/// is 1 only when a file or the key table cannot be read (2 is left to argument errors).
public enum DecodeCommand {
    public struct Options: Sendable, Equatable {
        public var keysPath: String?
        public var json: Bool
        public var captures: [String]

        public init(keysPath: String? = nil, json: Bool = false, captures: [String]) {
            self.keysPath = keysPath
            self.json = json
            self.captures = captures
        }
    }

    /// Runs the command; `output` gets stdout lines, `diagnostic` stderr lines.
    public static func run(_ options: Options, output: (String) -> Void,
                           diagnostic: (String) -> Void) -> Int32 {
        var keys: KeyTable?
        if let path = options.keysPath {
            do {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                keys = try KeyTable(csv: text)
            } catch {
                diagnostic("decode: \(path): \(error)")
                return 1
            }
        }
        var status: Int32 = 0
        for path in options.captures {
            guard let data = FileManager.default.contents(atPath: path) else {
                diagnostic("decode: cannot read \(path)")
                status = 1
                continue
            }
            let contents = CaptureFile.read([UInt8](data))
            let reports = FrameDecoder.decode(contents, keys: keys)
            let label = options.captures.count > 1 ? path : nil
            if !options.json, let label { output("# \(label)") }
            for report in reports {
                if options.json {
                    output(jsonLine(report, capture: label))
                    for e in report.errors { diagnostic("frame \(report.number): \(e)") }
                } else {
                    output(TextRenderer.render(report))
                }
            }
            if let problem = contents.problem {
                diagnostic("decode: \(path): \(problem)")
                if contents.packets.isEmpty { status = 1 }
            }
        }
        return status
    }

    /// One frame as a JSON line; with several captures the object starts with "capture".
    static func jsonLine(_ report: FrameReport, capture: String?) -> String {
        guard let capture, case .object(let members) = JSONRenderer.render(report) else {
            return JSONRenderer.render(report).serialized
        }
        return JSONValue.object([.init("capture", .string(capture))] + members).serialized
    }
}
