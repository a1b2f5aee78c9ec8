import Foundation

/// One run of the pipeline over bytes a fuzzer made: decode → front matter → Markdown →
/// link → render, all in memory. The libFuzzer target (`Sources/OverensFuzz`) and the
/// regression tests call this same function, so an input that once crashed the fuzzer
/// replays exactly as a test.
///
/// The input is split at NUL bytes (which no content file may contain) into up to
/// `slots.count` files. The first is an action in the default language; the others are
/// its translation, a goal's translation, a news item, a page, a principle, a party with
/// no default-language file, and finally `site.yml`. A fixed goal and party are always
/// there, so `goal:halsa` and `parties: [forbundet]` resolve.
public enum FuzzHarness {
    public static let contentRoot = "content"

    /// Where each NUL-separated piece of the input goes, in order.
    public static let slots = [
        "actions/fuzz.sv.md",
        "actions/fuzz.en.md",
        "goals/halsa.en.md",
        "news/fuzz.sv.md",
        "pages/fuzz.sv.md",
        "principles/fuzz.sv.md",
        "parties/fuzz.en.md",
        "site.yml",
    ]

    /// Always present unless a piece of the input takes their place.
    public static let fixedFiles: [(path: String, text: String)] = [
        ("site.yml", "languages: [sv, en]\nbase_url: https://example.org/\ntitle: { sv: Avtalet, en: The Agreement }\n"),
        ("goals/halsa.sv.md", "---\ntitle: God hälsa\norder: 1\n---\nHälsa för [alla](action:fuzz).\n"),
        ("parties/forbundet.sv.md", "---\ntitle: Förbundet\nsector: nonprofit\n---\nFörbundet.\n"),
    ]

    /// The languages the fixed site uses; load the theme for these.
    public static let languages = ["sv", "en"]

    public struct Outcome {
        /// Everything the pipeline reported, sorted.
        public var diagnostics: [Diagnostic]
        /// The text of every content file that decoded, by the path used in diagnostics.
        public var texts: [String: String]
        /// The rendered site, when the content had no errors and the theme has its languages.
        public var rendered: [OutputFile]?
        /// Broken promises: a diagnostic that points nowhere, or a stage that failed silently.
        public var problems: [String]

        public init(diagnostics: [Diagnostic] = [], texts: [String: String] = [:], rendered: [OutputFile]? = nil, problems: [String] = []) {
            self.diagnostics = diagnostics
            self.texts = texts
            self.rendered = rendered
            self.problems = problems
        }
    }

    /// Splits `bytes` into files and runs every stage the content allows.
    public static func run(_ bytes: UnsafeRawBufferPointer, theme: Theme?) -> Outcome {
        let diagnostics = DiagnosticBag()
        var texts: [String: String] = [:]
        var problems: [String] = []

        // An empty piece after the first leaves that slot out.
        var inputs = Dictionary(uniqueKeysWithValues: fixedFiles.map { ($0.path, Data($0.text.utf8)) })
        for (n, piece) in split(bytes, into: slots.count).enumerated() where n == 0 || !piece.isEmpty {
            inputs[slots[n]] = piece
        }

        var configText: String?
        var files: [SourceFile] = []
        for (relative, data) in inputs.sorted(by: { $0.key < $1.key }) {
            let path = contentRoot + "/" + relative
            guard let text = Files.decodeText(data, path: path, diagnostics: diagnostics) else { continue }
            texts[path] = text
            if relative == "site.yml" {
                configText = text
                continue
            }
            let folder = String(relative.prefix { $0 != "/" })
            let parts = relative.dropFirst(folder.count + 1).dropLast(3).split(separator: ".")
            files.append(SourceFile(path: path, kind: Kind(folder: folder)!, id: String(parts[0]), language: String(parts[1]), text: text))
        }

        var rendered: [OutputFile]?
        if let configText, let config = SiteConfig.parse(configText, path: contentRoot + "/site.yml", diagnostics: diagnostics) {
            var parsed: [ParsedFile] = []
            var unparsed = Set<EntryKey>()
            for file in files {
                if let result = ContentParser.parse(file, diagnostics: diagnostics) {
                    parsed.append(result)
                } else {
                    unparsed.insert(EntryKey(kind: file.kind, id: file.id))
                }
            }
            let graph = SiteGraph.link(config: config, files: parsed, unparsed: unparsed, diagnostics: diagnostics)
            if !diagnostics.hasErrors, let theme, config.languages.allSatisfy({ theme.strings[$0] != nil }) {
                // Files and images are not in the fuzzed input: every use of one is an error here.
                let media = Media.resolve(graph, assets: [], credits: nil, options: BuildOptions(content: contentRoot), diagnostics: diagnostics)
                if let renderer = Renderer(graph: graph, theme: theme, media: media, diagnostics: diagnostics) {
                    renderer.checkLinks(diagnostics: diagnostics)
                }
                if !diagnostics.hasErrors, let renderer = Renderer(graph: graph, theme: theme, media: media, diagnostics: diagnostics), !diagnostics.hasErrors {
                    rendered = renderer.render(diagnostics: diagnostics)
                    if rendered == nil && !diagnostics.hasErrors { problems.append("render returned nothing and reported no error") }
                } else if !diagnostics.hasErrors {
                    problems.append("the renderer refused the site and reported no error")
                }
            }
        } else if !diagnostics.hasErrors {
            problems.append("site.yml was refused with no error reported")
        }

        let all = diagnostics.all
        problems += misplaced(all, texts: texts, themeDirectory: theme?.directory)
        return Outcome(diagnostics: all, texts: texts, rendered: rendered, problems: problems)
    }

    /// The input cut at NUL bytes (which no content or theme file may contain) into at
    /// most `count` pieces; the last piece keeps any further NULs.
    static func split(_ bytes: UnsafeRawBufferPointer, into count: Int) -> [Data] {
        var pieces: [Data] = []
        var start = bytes.startIndex
        for i in bytes.indices where bytes[i] == 0 && pieces.count < count - 1 {
            pieces.append(Data(bytes[start..<i]))
            start = i + 1
        }
        pieces.append(Data(bytes[start...]))
        return pieces
    }

    /// Diagnostics that name a file that is not there, or a line or column outside it.
    /// Line 0 means the file as a whole (shown as 1:1). Lines are counted generously: a
    /// lone CR, NEL, LS or PS ends a line for YAML and cmark, so any of them may.
    static func misplaced(_ diagnostics: [Diagnostic], texts: [String: String], themeDirectory: String?) -> [String] {
        var problems: [String] = []
        let known = Set(slots.map { contentRoot + "/" + $0 } + fixedFiles.map { contentRoot + "/" + $0.path })
        for d in diagnostics {
            let l = d.location
            if let directory = themeDirectory, l.path.hasPrefix(directory + "/") { continue }
            guard known.contains(l.path) else {
                problems.append("diagnostic names an unknown file: \(d)")
                continue
            }
            guard l.line >= 0, l.column >= 0 else {
                problems.append("diagnostic has a negative position: \(d)")
                continue
            }
            // A file that did not decode has one error, placed by the decoder on the bytes.
            guard let text = texts[l.path] else { continue }
            let breaks = text.unicodeScalars.reduce(0) { count, s in
                s == "\n" || s == "\r" || s == "\u{85}" || s == "\u{2028}" || s == "\u{2029}" ? count + 1 : count
            }
            if l.line > breaks + 1 {
                problems.append("diagnostic points at line \(l.line) of a file with \(breaks + 1) lines: \(d)")
            } else if l.column > text.unicodeScalars.count + 1 {
                problems.append("diagnostic points at column \(l.column) of a file with \(text.unicodeScalars.count) characters: \(d)")
            }
        }
        return problems
    }
}

/// The second fuzz target: a theme's templates and strings. The input is split at NUL
/// bytes into the pieces of `slots`, each taking the place of that file of a real theme;
/// the fixed site of `FuzzHarness` is then rendered with it. No template or string may
/// crash the build or hang it, and every message must point into the file it names.
public enum ThemeFuzzHarness {
    /// Which file of the theme each NUL-separated piece replaces, in order.
    public static let slots = ["templates/page.mustache", "templates/partials/fuzz-a.mustache",
                               "templates/partials/fuzz-b.mustache", "strings/sv.yml", "templates/layout.mustache",
                               "templates/items/fuzz.mustache"]

    /// A valid site for the fuzzed theme to draw: an action in both languages, a news
    /// item and a page, in `FuzzHarness`'s slots.
    static let content = Data([
        "---\ntitle: Insatsen\nnumber: 1\ngoals: [halsa]\nparties: [forbundet]\nsummary: Kort.\n---\nText med [målet](goal:halsa).\n",
        "---\ntitle: The action\nslug: action\n---\nText.\n",
        "",
        "---\ntitle: Nyheten\ndate: 2023-03-30\nactions: [fuzz]\n---\nNytt.\n",
        "---\ntitle: Sidan\nmenu: 1\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    ].joined(separator: "\0").utf8)

    /// Joins a theme's files into one input, as a seed for the fuzzer.
    public static func seed(from base: Theme.Texts) -> Data {
        let pieces: [String] = slots.map { slot in
            if slot.hasPrefix("strings/") { return base.strings[String(slot.dropFirst(8).dropLast(4))]?.text ?? "" }
            let name = String(slot.dropFirst("templates/".count).dropLast(".mustache".count))
            if name == "partials/fuzz-a" { return "{{#page_title}}<b>{{page_title}}</b>{{/page_title}}{{> partials/fuzz-b}}{{#footer_pages}}{{{item.fuzz}}}{{/footer_pages}}" }
            if name == "items/fuzz" { return "<li><a href=\"{{href}}\">{{title}}</a>{{#status}} {{label}}{{/status}}</li>" }
            if name == "partials/fuzz-b" { return "{{t.nav.home}}" }
            return base.templates.first { $0.name == name }?.text ?? ""
        }
        return Data(pieces.joined(separator: "\0").utf8)
    }

    public static func run(_ bytes: UnsafeRawBufferPointer, base: Theme.Texts) -> FuzzHarness.Outcome {
        let diagnostics = DiagnosticBag()
        let pieces = FuzzHarness.split(bytes, into: slots.count)
        var texts = base
        var decoded: [String: String] = [:]
        var undecodable = Set<String>()
        for (slot, data) in zip(slots, pieces) {
            let path = base.directory + "/" + slot
            guard let text = Files.decodeText(data, path: path, diagnostics: diagnostics) else {
                undecodable.insert(path)   // its one error is placed by the decoder, on the bytes
                continue
            }
            decoded[path] = text
            if slot.hasPrefix("strings/") {
                texts.strings[String(slot.dropFirst(8).dropLast(4))] = (path, text)
            } else {
                let name = String(slot.dropFirst("templates/".count).dropLast(".mustache".count))
                texts.templates.removeAll { $0.name == name }
                texts.templates.append(Theme.TemplateText(name: name, path: path, text: text))
            }
        }
        let theme = Theme.make(directory: base.directory, templates: texts.templates, strings: texts.strings, assets: texts.assets,
                               languages: FuzzHarness.languages, diagnostics: diagnostics)
        var outcome = content.withUnsafeBytes { FuzzHarness.run($0, theme: diagnostics.hasErrors ? nil : theme) }
        outcome.diagnostics = diagnostics.all + outcome.diagnostics
        for d in diagnostics.all where !undecodable.contains(d.location.path) {
            guard let text = decoded[d.location.path] ?? texts.templates.first(where: { $0.path == d.location.path })?.text
                    ?? texts.strings.values.first(where: { $0.path == d.location.path })?.text else {
                outcome.problems.append("diagnostic names an unknown file: \(d)")
                continue
            }
            // Counted generously: the template engine ends a line at any of Swift's newlines,
            // vertical tab and form feed included.
            let lines = text.unicodeScalars.reduce(1) { Character($1).isNewline ? $0 + 1 : $0 }
            if d.location.line > lines { outcome.problems.append("diagnostic points at line \(d.location.line) of a file with \(lines) lines: \(d)") }
        }
        return outcome
    }
}

/// The byte-level HTML escaper against the plain reading of its promise: every `& < > " '`
/// of the text, and nothing else, replaced by its entity, whatever the bytes around it.
public enum EscapeFuzzHarness {
    public static func run(_ bytes: UnsafeRawBufferPointer) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        var expected = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": expected += "&amp;"
            case "<": expected += "&lt;"
            case ">": expected += "&gt;"
            case "\"": expected += "&quot;"
            case "'": expected += "&#39;"
            default: expected.unicodeScalars.append(scalar)
            }
        }
        let escaped = Escape.html(text)
        guard Array(escaped.utf8) != Array(expected.utf8) else { return [] }
        return ["Escape.html(\(text.debugDescription)) is \(escaped.debugDescription), expected \(expected.debugDescription)"]
    }
}
