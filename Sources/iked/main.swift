import Daemon
import Glibc

// All logic lives in Daemon (nonisolated); see notes/platform.md on main.swift closures.
exit(IkedMain.run(Array(CommandLine.arguments.dropFirst())))
