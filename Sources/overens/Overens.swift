import ArgumentParser
import Foundation
import Overens

@main
struct OverensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overens",
        abstract: "Builds a bilingual static site for a cross-sector agreement from Markdown content.",
        version: BuildInfo.versionLine,
        subcommands: [Build.self, Check.self, Serve.self, New.self],
        defaultSubcommand: Build.self)

    /// Usage errors exit with 2 (argument-parser's default is 64), as editors' tools expect.
    static func main() async {
        Platform.returnLargeBlocks()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(Exit.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// Options every command shares.
struct SourceOptions: ParsableArguments {
    @Option(help: "The content folder (site.yml, goals/, actions/, ...).")
    var content: String = "content"

    @Option(help: "The theme folder (templates/, assets/, strings/).")
    var theme: String = "theme"
}

/// `--lang sv|en`: the language of the messages.
struct LanguageOption: ParsableArguments {
    enum Language: String, ExpressibleByArgument, CaseIterable { case sv, en }

    @Option(name: .customLong("lang"), help: "The language of the messages: sv or en (default: the locale in LC_ALL, LC_MESSAGES or LANG, else site.yml's first language).")
    var language: Language?

    /// `--lang`, else the locale, else site.yml's first language, else English.
    func resolve(content: String) -> String {
        MessageLanguage.resolve(option: language?.rawValue, environment: ProcessInfo.processInfo.environment,
                                siteLanguages: MessageLanguage.siteLanguages(content: content))
    }
}

/// Exit codes editors' tools and scripts rely on.
enum Exit {
    static let errors = ExitCode(1)
    static let usage = ExitCode(2)
}
