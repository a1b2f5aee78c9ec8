import ArgumentParser
import Foundation
import Overens

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate content and theme without writing anything.",
        discussion: "Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var source: SourceOptions
    @OptionGroup var lang: LanguageOption

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "A site published before (the committed site/, or a copy of what is deployed): fail for every page of it that would disappear without an alias.")
    var against: String?

    func run() throws {
        var diagnostics = Site.generate(BuildOptions(content: source.content, theme: source.theme, output: ""), against: against).diagnostics
        if strict {
            diagnostics = diagnostics.map { var d = $0; d.severity = .error; return d }
        }
        let language = lang.resolve(content: source.content)
        switch format {
        case .text:
            Console.print(diagnostics, language: language)
            let errors = diagnostics.filter { $0.severity == .error }.count
            let warnings = diagnostics.count - errors
            Console.error(Message.checkSummary(errors: errors, warnings: warnings).text(in: language))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(diagnostics.map { JSONDiagnostic($0, language: language) })
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw Exit.errors }
    }
}

/// One diagnostic in `check --format json`: "message" stays English for tools, "text" is
/// in the chosen language.
struct JSONDiagnostic: Encodable {
    let severity: Diagnostic.Severity
    let path: String
    let line: Int
    let column: Int
    let message: String
    let text: String

    init(_ d: Diagnostic, language: String) {
        severity = d.severity
        path = d.location.path
        line = max(d.location.line, 1)
        column = max(d.location.column, 1)
        message = d.message
        text = d.text(in: language)
    }
}
