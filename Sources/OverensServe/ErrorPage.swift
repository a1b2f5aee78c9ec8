import Foundation
import Overens

/// The page a browser shows while the site does not build: every error as
/// `path:line:column: error: message` (the same lines `overens check` prints), with the
/// source line it points at, and the reload script, so saving a fix brings the page back.
public enum ErrorPage {
    /// More errors than this are counted, not listed.
    static let listed = 50

    /// The language of the page and its messages: what `overens serve --lang` (or the
    /// locale, or site.yml) chose, passed on in OVERENS_LANG.
    static var language: String {
        ProcessInfo.processInfo.environment["OVERENS_LANG"] == "sv" ? "sv" : "en"
    }

    public static func render(errors: [Diagnostic], warnings: [Diagnostic], generation: String) -> Data {
        let sv = language == "sv"
        var items = ""
        for diagnostic in errors.prefix(listed) {
            items += "<li><code class=\"where\">\(escape(diagnostic.description(in: language)))</code>"
            if let excerpt = excerpt(diagnostic.location) {
                items += "\n<pre class=\"source\">\(excerpt)</pre>"
            }
            items += "</li>\n"
        }
        if errors.count > listed {
            items += sv ? "<li>… och \(errors.count - listed) till; <code>overens check</code> visar alla.</li>\n"
                : "<li>… and \(errors.count - listed) more; <code>overens check</code> lists them all.</li>\n"
        }
        let count = sv ? "\(errors.count) fel" : "\(errors.count) error\(errors.count == 1 ? "" : "s")"
        let warningNote = warnings.isEmpty ? "" : sv
            ? "<p class=\"note\">Dessutom \(warnings.count) varning\(warnings.count == 1 ? "" : "ar"); <code>overens check</code> visar dem.</p>\n"
            : "<p class=\"note\">\(warnings.count) warning\(warnings.count == 1 ? "" : "s") too; <code>overens check</code> lists them.</p>\n"
        let title = sv ? "Webbplatsen går inte att bygga" : "The site does not build"
        let explanation = sv
            ? "Förhandsvisningen behåller det senaste fungerande bygget och visar den här sidan tills felen är rättade. Spara filen så laddas sidan om av sig själv."
            : "The preview keeps the last good build and shows this page until the errors are fixed. Save the file and this page reloads by itself."
        let html = """
            <!DOCTYPE html>
            <html lang="\(language)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) (\(count)) – overens serve</title>
            <style>
            body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #fff; color: #1a1a1a; }
            main { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
            h1 { font-size: 1.5rem; color: #a4000f; margin-bottom: .25rem; }
            ol { padding-left: 1.25rem; }
            li { margin: 1rem 0; }
            code.where { font: 15px/1.4 ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
            pre.source { background: #f4f4f4; border-left: 4px solid #a4000f; padding: .5rem .75rem; overflow-x: auto; margin: .35rem 0 0; }
            .note { color: #555; }
            </style>
            </head>
            <body>
            <main>
            <h1>\(title): \(count)</h1>
            <p>\(explanation)</p>
            <ol>
            \(items)</ol>
            \(warningNote)</main>
            \(Responder.scriptTag(generation: generation))</body>
            </html>

            """
        return Data(html.utf8)
    }

    /// The line a diagnostic points at, with a caret under the column; nil when there is none.
    static func excerpt(_ location: SourceLocation) -> String? {
        guard location.line > 0,
              let data = FileManager.default.contents(atPath: location.path), data.count <= 5 * 1024 * 1024 else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard location.line <= lines.count else { return nil }
        var line = String(lines[location.line - 1])
        if line.hasSuffix("\r") { line.removeLast() }
        if line.count > 300 { line = String(line.prefix(300)) + "…" }
        let column = max(location.column, 1)
        let caret = String(repeating: " ", count: min(column - 1, line.count)) + "^"
        return "\(location.line) | \(escape(line))\n" + String(repeating: " ", count: "\(location.line) | ".count) + caret
    }

    public static func escape(_ text: String) -> String { Escape.html(text) }
}
