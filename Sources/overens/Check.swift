import ArgumentParser
import Foundation
import Overens

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate content and theme without writing anything.",
        discussion: "Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var source: SourceOptions

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        var diagnostics = Site.generate(BuildOptions(content: source.content, theme: source.theme, output: "")).diagnostics
        if strict {
            diagnostics = diagnostics.map { var d = $0; d.severity = .error; return d }
        }
        switch format {
        case .text:
            Console.print(diagnostics)
            let errors = diagnostics.filter { $0.severity == .error }.count
            let warnings = diagnostics.count - errors
            Console.error("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(diagnostics)
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw Exit.errors }
    }
}
