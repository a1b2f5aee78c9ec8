import ArgumentParser
import Foundation
import Overens

@main
struct OverensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overens",
        abstract: "Builds a bilingual static site for a cross-sector agreement from Markdown content.",
        subcommands: [Build.self, Check.self, Serve.self, New.self],
        defaultSubcommand: Build.self)
}

/// Options every command shares.
struct SourceOptions: ParsableArguments {
    @Option(help: "The content folder (site.yml, goals/, actions/, ...).")
    var content: String = "content"

    @Option(help: "The theme folder (templates/, assets/, strings/).")
    var theme: String = "theme"
}

/// Exit codes editors' tools and scripts rely on.
enum Exit {
    static let errors = ExitCode(1)
    static let usage = ExitCode(2)
}
