import Foundation
import IKEv2
import BTNSAuth

/// Requests ikectl sends to iked over the control socket: one JSON object per line,
/// answered by one `ControlResponse` per line.
public enum ControlCommand: String, Codable, Sendable, CaseIterable {
    case initiate
    case listSAs = "list-sas"
    case terminate
    case pinsList = "pins-list"
    case pinsForget = "pins-forget"
    case connections
    case pad
    case explain
    case pinsShow = "pins-show"
    case pinsApprove = "pins-approve"
    case flow
    case flows
    case spd
    case reload
    case rekey
}

public struct ControlRequest: Codable, Sendable, Equatable {
    public var command: ControlCommand
    /// Connection name for initiate and terminate.
    public var name: String?
    /// Seconds initiate waits for the IKE SA and first child SA.
    public var timeout: Double?
    /// Peer identity (`fqdn:host.example`) for pins-forget, pins-show, pins-approve and
    /// explain.
    public var id: String?
    /// explain: the presented raw public key, SubjectPublicKeyInfo PEM.
    public var key: String?
    /// explain: the peer's selectors (`SelectorSyntax`).
    public var ts: [String]?

    /// The flow for `flow`.
    public var flow: FlowRequest?
    /// rekey: the IKE SA rather than a child SA.
    public var ike: Bool?
    /// reload: delete the SAs the new PAD no longer authorizes.
    public var deleteUnauthorized: Bool?
    /// terminate: the SAs the last reload marked unauthorized (instead of `name`).
    public var unauthorized: Bool?

    public init(command: ControlCommand, name: String? = nil, timeout: Double? = nil,
                id: String? = nil, key: String? = nil, ts: [String]? = nil,
                flow: FlowRequest? = nil, ike: Bool? = nil,
                deleteUnauthorized: Bool? = nil, unauthorized: Bool? = nil) {
        self.command = command
        self.name = name
        self.timeout = timeout
        self.id = id
        self.key = key
        self.ts = ts
        self.flow = flow
        self.ike = ike
        self.deleteUnauthorized = deleteUnauthorized
        self.unauthorized = unauthorized
    }
}

/// A configured connection as `ikectl connections` shows it (no secrets).
public struct ConnectionInfo: Codable, Sendable, Hashable {
    public var name: String
    public var localAddress: String?
    public var remoteAddress: String?
    public var localID: String?
    public var remoteID: String
    public var localAuth: String
    public var remoteAuth: String
    public var ikeProposals: [String]
    public var espProposals: [String]
    public var localTS: [String]
    public var remoteTS: [String]
    public var mode: String

    public init(_ c: ConnectionConfig) {
        name = c.name
        localAddress = c.localAddress.map { "\($0)" }
        remoteAddress = c.remoteAddress.map { "\($0):\(c.remotePort)" }
        localID = c.localID?.displayString
        remoteID = c.remoteID.description
        switch c.localAuth {
        case .psk: localAuth = "psk"
        case .privateKey: localAuth = "pubkey"
        }
        remoteAuth = c.remoteAuth.summary
        ikeProposals = c.ikeProposals.map(\.description)
        espProposals = c.espProposals.map(\.description)
        localTS = c.localTS.map(\.displayString)
        remoteTS = c.remoteTS.map(\.displayString)
        mode = c.mode.rawValue
    }
}

public struct ControlResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    /// Why the request failed, written for the operator.
    public var error: String?
    public var message: String?
    public var sas: [IKESASnapshot]?
    public var pins: [PinRecord]?
    public var connections: [ConnectionInfo]?
    public var pad: [PADEntryInfo]?
    public var explanation: PADExplanation?
    public var pin: PinDetail?

    public var flows: [FlowRecord]?
    public var spd: [SPDEntryInfo]?
    public var reload: ReloadReport?

    public init(ok: Bool, error: String? = nil, message: String? = nil,
                sas: [IKESASnapshot]? = nil, pins: [PinRecord]? = nil,
                connections: [ConnectionInfo]? = nil, pad: [PADEntryInfo]? = nil,
                explanation: PADExplanation? = nil, pin: PinDetail? = nil,
                flows: [FlowRecord]? = nil, spd: [SPDEntryInfo]? = nil,
                reload: ReloadReport? = nil) {
        self.ok = ok
        self.error = error
        self.message = message
        self.sas = sas
        self.pins = pins
        self.connections = connections
        self.pad = pad
        self.explanation = explanation
        self.pin = pin
        self.flows = flows
        self.spd = spd
        self.reload = reload
    }

    public static func failure(_ message: String) -> ControlResponse {
        ControlResponse(ok: false, error: message)
    }
}

/// Line framing and JSON coding shared by server and client.
public enum ControlCodec {
    /// Requests and responses are small; anything longer than this is not ikectl talking.
    public static let maxRequestLine = 64 * 1024

    public static func encodeLine<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding these plain structs cannot fail; an empty object keeps the stream sane.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Array(data) + [0x0A]
    }

    public static func decode<T: Decodable>(_ type: T.Type, from line: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(line))
    }

    /// Decodes a request, turning JSON errors into something an operator can act on
    /// (never Swift's DecodingError text).
    public static func decodeRequest(_ line: [UInt8]) -> Result<ControlRequest, DaemonError> {
        guard let fields = try? decode([String: JSONKind].self, from: line) else {
            return .failure(DaemonError("request is not a JSON object"))
        }
        // Field types first, so that {"name":5} says what is wrong with it.
        let expected: [(String, JSONKind, String)] = [
            ("command", .string, "a string"), ("name", .string, "a string"),
            ("id", .string, "a string"), ("timeout", .number, "a number of seconds"),
            ("key", .string, "a PEM string"), ("ts", .array, "an array of selectors"),
        ]
        for (field, kind, what) in expected {
            if let got = fields[field], got != kind, got != .null {
                return .failure(DaemonError("field '\(field)' must be \(what)"))
            }
        }
        guard fields["command"] == .string, case .success(let peek) = Result(catching: {
            try decode(Peek.self, from: line)
        }) else {
            return .failure(DaemonError("request has no \"command\""))
        }
        guard ControlCommand(rawValue: peek.command) != nil else {
            let known = ControlCommand.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(DaemonError("unknown command '\(peek.command)' (known: \(known))"))
        }
        do {
            return .success(try decode(ControlRequest.self, from: line))
        } catch {
            return .failure(DaemonError("malformed '\(peek.command)' request"))
        }
    }

    private struct Peek: Decodable { var command: String }

    /// The JSON type of a value, for field type errors.
    enum JSONKind: Decodable, Equatable {
        case null, bool, number, string, array, object

        init(from decoder: any Decoder) throws {
            if (try? decoder.unkeyedContainer()) != nil {
                self = .array
                return
            }
            if (try? decoder.container(keyedBy: AnyKey.self)) != nil {
                self = .object
                return
            }
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if (try? c.decode(Bool.self)) != nil { self = .bool }
            else if (try? c.decode(Double.self)) != nil { self = .number }
            else if (try? c.decode(String.self)) != nil { self = .string }
            else { self = .null }
        }

        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }
}
