import Foundation
import Overens

// The libFuzzer target over front matter, Markdown and link resolution (and rendering,
// when the content is valid). See `FuzzHarness` for how an input becomes content files.
//
// `scripts/fuzz.sh` builds this with `-sanitize=fuzzer -DFUZZING`: `main` hands over to
// libFuzzer's driver, which calls `LLVMFuzzerTestOneInput`. A plain `swift build` gives
// a replay tool instead: `OverensFuzz FILE...` runs each file once and says what happened.

/// The repository's theme, or the one `OVERENS_THEME` names; loaded once.
let theme: Theme? = {
    let directory = ProcessInfo.processInfo.environment["OVERENS_THEME"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("theme").path
    let diagnostics = DiagnosticBag()
    guard let theme = Theme.load(directory: directory, languages: FuzzHarness.languages, diagnostics: diagnostics), !diagnostics.hasErrors else {
        // Without a theme only the render stage would be skipped; say so instead of fuzzing less quietly.
        fatalError("cannot load the theme at \(directory): \(diagnostics.all.map(\.description).joined(separator: "\n"))")
    }
    return theme
}()

/// `OVERENS_FUZZ_TARGET=theme` fuzzes the theme's templates and strings
/// (`ThemeFuzzHarness`) instead of the content.
let themeTexts: Theme.Texts? = {
    guard ProcessInfo.processInfo.environment["OVERENS_FUZZ_TARGET"] == "theme", let theme else { return nil }
    return Theme.read(directory: theme.directory, languages: FuzzHarness.languages, diagnostics: DiagnosticBag())
}()

/// `OVERENS_FUZZ_TARGET=escape` fuzzes the HTML escaper alone (`EscapeFuzzHarness`).
let fuzzingEscape = ProcessInfo.processInfo.environment["OVERENS_FUZZ_TARGET"] == "escape"

func runOne(_ bytes: UnsafeRawBufferPointer) -> FuzzHarness.Outcome {
    if fuzzingEscape { return FuzzHarness.Outcome(problems: EscapeFuzzHarness.run(bytes)) }
    if let themeTexts { return ThemeFuzzHarness.run(bytes, base: themeTexts) }
    return FuzzHarness.run(bytes, theme: theme)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    let outcome = runOne(bytes)
    if !outcome.problems.isEmpty {
        // A broken promise is a finding like a crash: make libFuzzer keep the input.
        fatalError(outcome.problems.joined(separator: "\n"))
    }
    return 0
}

#if FUZZING
/// libFuzzer's driver, for programs that keep their own `main` (SwiftPM names the entry
/// point of an executable target, so libFuzzer's `main` is never linked in). Every
/// argument is a pointer, passed alike in the Swift and C calling conventions.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

@main
enum FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        _ = theme
        _ = themeTexts
        exit(LLVMFuzzerRunDriver(&argc, &argv, { data, size in fuzzOneInput(data, size) }))
    }
}
#else
@main
enum Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard !arguments.isEmpty else {
            print("usage: OverensFuzz FILE...  (run each input through the fuzz harness once)")
            print("To fuzz, run scripts/fuzz.sh (make fuzz).")
            exit(2)
        }
        var failed = false
        for path in arguments {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot read")
                failed = true
                continue
            }
            let start = Date()
            let outcome = data.withUnsafeBytes { runOne($0) }
            let ms = Int(Date().timeIntervalSince(start) * 1000)
            let errors = outcome.diagnostics.filter { $0.severity == .error }.count
            let pages = outcome.rendered.map { "\($0.count) files rendered" } ?? "not rendered"
            print("\(path): \(errors) errors, \(outcome.diagnostics.count - errors) warnings, \(pages), \(ms) ms")
            for problem in outcome.problems {
                print("  problem: \(problem)")
                failed = true
            }
            if ProcessInfo.processInfo.environment["VERBOSE"] != nil {
                for d in outcome.diagnostics { print("  \(d)") }
            }
        }
        exit(failed ? 1 : 0)
    }
}
#endif
