import Foundation

/// `check --against DIR`: every page published before (the committed site/, or a copy of
/// what is deployed) must still be there, or be an alias of the page that replaced it.
public enum AddressGuard {
    /// One error per page of `previous` that the new site would not have, naming the content
    /// file to add the alias to when the old page shows which entry it was.
    public static func check(previous: String, renderer: Renderer, diagnostics: DiagnosticBag) {
        let outputs = renderer.outputPaths()
        let folder = Files.normalized(previous)
        let old = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".html") && $0 != "404.html" }.sorted()
        // A mistyped or empty folder would pass every page: say so instead.
        guard Files.isDirectory(folder), !old.isEmpty else {
            diagnostics.error(SourceLocation(path: folder), .againstNotASite)
            return
        }
        for path in old where !outputs.contains(path) {
            let html = (try? String(contentsOfFile: folder + "/" + path, encoding: .utf8)) ?? ""
            let file = entryFile(for: path, html: html, renderer: renderer)
            diagnostics.error(file.map { SourceLocation(path: $0, line: 1, column: 1) } ?? SourceLocation(path: folder + "/" + path),
                              .wouldBreak(path, file: file))
        }
    }

    /// The content file of the entry an old page showed: through the old page's language
    /// alternates that still exist, else through its heading.
    static func entryFile(for path: String, html: String, renderer: Renderer) -> String? {
        let graph = renderer.graph, paths = renderer.paths
        let languages = graph.config.languages
        let language = languages.dropFirst().first { path.hasPrefix($0 + "/") } ?? graph.config.defaultLanguage
        var pages: [String: Entry] = [:]
        for kind in Kind.allCases {
            for entry in graph.all(kind) {
                for other in languages { pages[paths.page(entry, other)] = entry }
            }
        }
        func file(of entry: Entry) -> String { (entry.translations[language] ?? entry.translations[entry.primaryLanguage]!).path }
        for href in attributes(named: "href", inTagsContaining: "rel=\"alternate\" hreflang", in: html) {
            let target = sitePath(href, from: path, base: graph.config.baseURL)
            if let entry = pages[target] { return file(of: entry) }
        }
        if let heading = between("<h1", "</h1>", in: html).flatMap({ $0.split(separator: ">", maxSplits: 1).last.map(String.init) }) {
            for kind in Kind.allCases {
                if let entry = graph.all(kind).first(where: { $0.text(in: language).title == unescape(heading) }) { return file(of: entry) }
            }
        }
        return nil
    }

    static func attributes(named name: String, inTagsContaining marker: String, in html: String) -> [String] {
        html.components(separatedBy: "<link ").dropFirst().compactMap { tag in
            let end = tag.firstIndex(of: ">") ?? tag.endIndex
            let body = tag[..<end]
            guard body.contains(marker), let start = body.range(of: name + "=\"") else { return nil }
            return String(body[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    static func sitePath(_ href: String, from page: String, base: String?) -> String {
        if let base, href.hasPrefix(base) { return String(href.dropFirst(base.count)) }
        var parts = Paths.folder(of: page).split(separator: "/").map(String.init)
        for part in href.split(separator: "/") {
            if part == ".." { if !parts.isEmpty { parts.removeLast() } } else if part != "." { parts.append(String(part)) }
        }
        return parts.joined(separator: "/")
    }

    static func between(_ start: String, _ end: String, in text: String) -> String? {
        guard let a = text.range(of: start), let b = text.range(of: end, range: a.upperBound..<text.endIndex) else { return nil }
        return String(text[a.upperBound..<b.lowerBound])
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
