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
    static func summary(_ result: BuildResult, seconds: Double) -> String {
        let total = result.pages.values.reduce(0, +)
        let perLanguage = result.pages.sorted { $0.value == $1.value ? $0.key > $1.key : $0.value > $1.value }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let warnings = result.warnings.count
        var line = "Built \(total) pages (\(perLanguage)) in \(String(format: "%.2f", seconds)) s"
        if warnings > 0 { line += ", \(warnings) warning\(warnings == 1 ? "" : "s")" }
        if let w = result.written {
            let kept = w.kept.isEmpty ? "" : ", \(w.kept.count) not its own kept"
            line += " (\(w.written) files written, \(w.unchanged) unchanged, \(w.removed) removed\(kept))"
        }
        return line
    }
}

/// A one-line status on a terminal while a build works; nothing when piped.
struct Progress {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled && isatty(STDERR_FILENO) != 0 }
    func show(_ text: String) { if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8)) } }
    func clear() { if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
}
