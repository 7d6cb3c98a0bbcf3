import Foundation
import Glibc
import IKEv2
import BTNSAuth
import Capture

/// Entry point of `ikectl`; returns the exit status.
public enum IkectlMain {
    public static func run(_ args: [String]) -> Int32 {
        let inv: IkectlInvocation
        do {
            inv = try IkectlInvocation.parse(args)
        } catch {
            Stderr.write("ikectl: \(error)\n")
            return 2
        }
        do {
            return try execute(inv)
        } catch {
            Stderr.write("ikectl: \(error)\n")
            return 1
        }
    }

    static func execute(_ inv: IkectlInvocation) throws(DaemonError) -> Int32 {
        switch inv.command {
        case .help(nil):
            print(IkectlHelp.tool)
        case .help(let name?):
            guard let text = IkectlHelp.commands[name] else {
                throw DaemonError("no help for unknown command '\(name)'")
            }
            print(text)
        case .initiate(let name, let timeout):
            let r = try client(inv).send(ControlRequest(command: .initiate, name: name,
                                                        timeout: timeout),
                                         timeout: timeout + 5)
            guard r.ok else {
                Stderr.write("ikectl: initiate \(name) failed: \(r.error ?? "unknown reason")\n")
                return 1
            }
            if let m = r.message, !m.isEmpty { print(m) }
            print(SAText.render(r.sas ?? []))
        case .listSAs(let json):
            let r = try daemon(inv, ControlRequest(command: .listSAs))
            print(json ? prettyJSON(r.sas ?? []) : SAText.render(r.sas ?? []))
        case .terminate(let name):
            let r = try daemon(inv, ControlRequest(command: .terminate, name: name))
            print(r.message ?? "ok")
        case .connections(let json):
            let r = try daemon(inv, ControlRequest(command: .connections))
            print(json ? prettyJSON(r.connections ?? [])
                       : SAText.render(connections: r.connections ?? []))
        case .pinsList(let json, let store):
            let pins: [PinRecord]
            if let store {
                do { pins = try Pins(existing: store, readOnly: true).list() } catch {
                    throw DaemonError("\(error)")
                }
            } else {
                pins = try daemon(inv, ControlRequest(command: .pinsList)).pins ?? []
            }
            print(json ? prettyJSON(pins) : SAText.render(pins: pins))
        case .pinsForget(let idText, let store):
            if let store {
                guard let id = IDPayload(text: idText) else {
                    throw DaemonError("'\(idText)' is not an identity (e.g. fqdn:host.example)")
                }
                let gone: Bool
                do { gone = try Pins(existing: store, readOnly: false).forget(id) } catch {
                    throw DaemonError("\(error)")
                }
                guard gone else { throw DaemonError("no pin for \(id.displayString)") }
                print("forgot the pin of \(id.displayString)")
            } else {
                let r = try daemon(inv, ControlRequest(command: .pinsForget, id: idText))
                print(r.message ?? "ok")
            }
        case .pad, .explain, .pinsShow, .pinsApprove:
            return try PADCommands.run(inv, ask: { r throws(DaemonError) in try daemon(inv, r) })
        case .genkey(let type, let out):
            try KeyCommands.genkey(type, out: out)
        case .pubkey(let input, let out):
            try KeyCommands.pubkey(input: input, out: out)
        case .flow, .flows, .spd, .reload, .terminateUnauthorized, .rekey:
            return try executeSPD(inv)
        case .decode(let keys, let json, let captures):
            let options = DecodeCommand.Options(keysPath: keys, json: json, captures: captures)
            return DecodeCommand.run(options, output: { print($0) },
                                     diagnostic: { Stderr.write("ikectl: \($0)\n") })
        }
        return 0
    }

    private static func socketPath(_ inv: IkectlInvocation) throws(DaemonError) -> String {
        if let s = inv.socketPath { return s }
        guard let path = inv.configPath else { return DaemonConfig.defaultSocketPath }
        do {
            return try DaemonConfig.load(path: path).socketPath
        } catch {
            throw DaemonError("cannot read the socket path from \(path):\n\(error)")
        }
    }

    static func client(_ inv: IkectlInvocation) throws(DaemonError) -> ControlClient {
        ControlClient(path: try socketPath(inv))
    }

    /// Sends a request and turns a refusal into an error.
    static func daemon(_ inv: IkectlInvocation,
                               _ request: ControlRequest) throws(DaemonError) -> ControlResponse {
        let r = try client(inv).send(request)
        guard r.ok else { throw DaemonError(r.error ?? "iked refused the request") }
        return r
    }

    static func prettyJSON<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return (try? e.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
