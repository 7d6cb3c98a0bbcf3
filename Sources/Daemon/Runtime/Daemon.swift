import Dispatch
import Foundation
import Glibc
import IKEv2

/// Runs iked until SIGTERM or SIGINT; SIGHUP reloads the configuration.
public enum Daemon {
    /// Starts everything and never returns on success; returns 1 when startup fails.
    public static func run(config: DaemonConfig, keylogPath: String?) -> Int32 {
        run(config: config, keylogPath: keylogPath, reload: nil)
    }

    /// As above; `reload` says where `ikectl reload` and SIGHUP read the configuration again.
    static func run(config: DaemonConfig, keylogPath: String?,
                    reload: ReloadSource?) -> Int32 {
        let runtime: DaemonRuntime
        do {
            runtime = try DaemonRuntime(config: config, keylogPath: keylogPath)
            runtime.reloadSource = reload
            try runtime.start()
        } catch {
            Stderr.write("iked: \(error)\n")
            return 1
        }
        installSignalHandlers(runtime)
        dispatchMain()
    }

    /// Signals become events on the engine queue, so shutdown never races an exchange.
    private static func installSignalHandlers(_ runtime: DaemonRuntime) {
        signal(SIGPIPE, SIG_IGN)
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: runtime.queue)
            source.setEventHandler {
                runtime.shutdown(reason: sig == SIGTERM ? "SIGTERM" : "SIGINT")
                exit(0)
            }
            source.resume()
            runtime.retain(source)
        }
        // SIGHUP re-reads the configuration (the same path as `ikectl reload`).
        signal(SIGHUP, SIG_IGN)
        let hup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: runtime.queue)
        hup.setEventHandler { runtime.reloadOnSignal() }
        hup.resume()
        runtime.retain(hup)
    }
}
