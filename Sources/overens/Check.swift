import ArgumentParser
import Foundation
import Overens

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate content and theme without writing anything.",
        discussion: """
            Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage.
            --format github prints GitHub Actions annotations (::error file=…,line=…,col=…::…),
            --format gitlab a GitLab Code Quality report (JSON), so that problems show on the
            changed lines of a pull or merge request. --external also asks for every web address
            in the content (the only part of overens that uses the network).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, github, gitlab }

    @OptionGroup var source: SourceOptions
    @OptionGroup var lang: LanguageOption

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Option(help: "Output format: text, json, github (Actions annotations) or gitlab (Code Quality JSON).")
    var format: Format = .text

    @Option(help: "A site published before (the committed site/, or a copy of what is deployed): fail for every page of it that would disappear without an alias.")
    var against: String?

    @Flag(help: "Also ask for every external web address in the content (links and website, online, registration) and report those that do not answer, answer with an error, or have moved for good. Answers are remembered for a day.")
    var external = false

    @Option(help: "Seconds to wait for each external address (with --external).")
    var timeout: Double = 10

    @Option(help: "Where --external remembers answers (default: $XDG_CACHE_HOME/overens, else ~/.cache/overens).")
    var cache: String?

    func validate() throws {
        guard timeout > 0, timeout <= 300 else { throw ValidationError("--timeout must be between 0 and 300 seconds") }
    }

    func run() async throws {
        let options = BuildOptions(content: source.content, theme: source.theme, output: "", cache: cache)
        var diagnostics = Site.check(options, against: against)
        let language = lang.resolve(content: source.content)
        if external {
            let started = Date()
            var settings = ExternalLinks.Settings(cacheFile: Site.externalLinksCache(options))
            settings.timeout = timeout
            let report = await Site.checkExternalLinks(options, settings: settings)
            diagnostics = (diagnostics + report.diagnostics).sorted {
                ($0.location, $0.severity.rawValue, $0.message) < ($1.location, $1.severity.rawValue, $1.message)
            }
            Console.error(Message.externalChecked(addresses: report.addresses, hosts: report.hosts, remembered: report.remembered,
                                                  seconds: Date().timeIntervalSince(started)).text(in: language))
        }
        if strict {
            diagnostics = diagnostics.map { var d = $0; d.severity = .error; return d }
        }
        switch format {
        case .text:
            Console.print(diagnostics, language: language)
            Console.error(summary(diagnostics).text(in: language))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(diagnostics.map { JSONDiagnostic($0, language: language) })
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        case .github:
            let lines = diagnostics.map { GitHubAnnotation($0, language: language).line }
            FileHandle.standardOutput.write(Data(lines.map { $0 + "\n" }.joined().utf8))
            Console.error(summary(diagnostics).text(in: language))
        case .gitlab:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(CodeQualityIssue.report(diagnostics, language: language))
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw Exit.errors }
    }

    private func summary(_ diagnostics: [Diagnostic]) -> Message {
        let errors = diagnostics.filter { $0.severity == .error }.count
        return Message.checkSummary(errors: errors, warnings: diagnostics.count - errors)
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

/// One diagnostic as a GitHub Actions workflow command: `::error file=…,line=…,col=…::text`,
/// which GitHub shows on that line of the pull request's changed files. Paths are as
/// given (relative to the repository when overens runs at its top with relative folders).
struct GitHubAnnotation {
    let line: String

    init(_ d: Diagnostic, language: String) {
        let command = d.severity == .error ? "error" : "warning"
        let properties = [
            "file=" + Self.property(d.location.path),
            "line=\(max(d.location.line, 1))",
            "col=\(max(d.location.column, 1))",
        ].joined(separator: ",")
        line = "::\(command) \(properties)::\(Self.data(d.text(in: language)))"
    }

    /// GitHub's escaping of a command's message: %, CR and LF.
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// And of a property's value: also : and ,.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// One diagnostic in GitLab's Code Quality report (a subset of Code Climate's format), which
/// GitLab shows in the merge request, on the changed lines.
struct CodeQualityIssue: Encodable {
    struct Location: Encodable {
        struct Lines: Encodable { let begin: Int }
        let path: String
        let lines: Lines
    }

    let description: String
    let check_name: String
    let fingerprint: String
    let severity: String
    let location: Location

    /// The report: one issue per diagnostic, each with a fingerprint that stays the same
    /// while the problem does (file, English message and how many times it came before in
    /// that file, not the line), so GitLab can tell new problems from old ones.
    static func report(_ diagnostics: [Diagnostic], language: String) -> [CodeQualityIssue] {
        var seen: [String: Int] = [:]
        return diagnostics.map { d in
            let key = d.location.path + "\u{0}" + d.message
            let occurrence = seen[key, default: 0]
            seen[key] = occurrence + 1
            return CodeQualityIssue(
                description: d.text(in: language),
                check_name: "overens-" + d.severity.rawValue,
                fingerprint: fingerprint(key + "\u{0}\(occurrence)"),
                severity: d.severity == .error ? "major" : "minor",
                location: Location(path: d.location.path, lines: Location.Lines(begin: max(d.location.line, 1))))
        }
    }

    /// 128 bits of two FNV-1a hashes, as hex.
    static func fingerprint(_ text: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6c62_272e_07bb_0142
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 0x9e37_79b9
        }
        return String(format: "%016llx%016llx", a, b)
    }
}
