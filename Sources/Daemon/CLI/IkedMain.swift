import Foundation
import IKEv2

/// Entry point of `iked`; returns the exit status. main.swift only calls this, so that
/// nothing runs in the main actor's top-level context (see notes/platform.md).
public enum IkedMain {
    public static func run(_ args: [String]) -> Int32 {
        let options: IkedOptions
        do {
            options = try IkedOptions.parse(args)
        } catch {
            Stderr.write("iked: \(error)\n")
            return 2
        }
        if options.help {
            print(IkedOptions.usage)
            return 0
        }
        let path = options.configPath!
        var config: DaemonConfig
        do {
            config = try DaemonConfig.load(path: path)
        } catch {
            Stderr.write(error.description + "\n")
            let n = error.errorCount
            Stderr.write("\(path): \(n) error\(n == 1 ? "" : "s")\n")
            return 1
        }
        for w in config.warnings { Stderr.write(w.description + "\n") }
        if options.check {
            let n = config.connections.count
            print("\(path): OK (\(n) connection\(n == 1 ? "" : "s"))")
            return 0
        }
        if let s = options.socketPath { config.socketPath = s }
        if let p = options.pinStorePath { config.pinStorePath = p }
        if let l = options.logLevel { config.logLevel = l }
        let reload = ReloadSource(path: path, socketPath: options.socketPath,
                                  pinStorePath: options.pinStorePath, logLevel: options.logLevel)
        return Daemon.run(config: config, keylogPath: options.keylogPath, reload: reload)
    }
}
