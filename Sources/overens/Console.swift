import Foundation
import Overens

/// Everything the CLI prints goes through here: diagnostics to stderr, one line per problem.
enum Console {
    static func print(_ diagnostics: [Diagnostic], language: String, quiet: Bool = false) {
        for d in diagnostics where !quiet || d.severity == .error {
            error(d.description(in: language))
        }
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// `Built 146 pages (sv 73, en 73) in 0.21 s, 2 warnings`
    static func summary(_ result: BuildResult, seconds: Double, language: String) -> String {
        let perLanguage = result.pages.sorted { $0.value == $1.value ? $0.key > $1.key : $0.value > $1.value }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let w = result.written
        return Message.built(pages: result.pages.values.reduce(0, +), perLanguage: perLanguage, seconds: seconds,
                             warnings: result.warnings.count, written: w?.written, unchanged: w?.unchanged ?? 0,
                             removed: w?.removed ?? 0, kept: w?.kept.count ?? 0).text(in: language)
    }
}

/// A one-line status on a terminal while a build works; nothing when piped.
struct Progress {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled && isatty(STDERR_FILENO) != 0 }
    func show(_ text: String) { if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8)) } }
    func clear() { if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
}
