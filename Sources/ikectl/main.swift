import Daemon
import Glibc

// All logic lives in Daemon (nonisolated); see notes/platform.md on main.swift closures.
exit(IkectlMain.run(Array(CommandLine.arguments.dropFirst())))
