import Foundation
import Mustache
import Yams

/// The theme: Mustache templates, the UI's words per language and static assets.
public struct Theme: @unchecked Sendable {
    public var directory: String
    public var library: MustacheLibrary
    public var templateNames: Set<String>
    /// `theme/strings/<lang>.yml`, as nested dictionaries for the templates.
    public var strings: [String: [String: Any]]
    /// Asset files, site-relative output path → bytes.
    public var assets: [(path: String, data: Data)]

    /// Templates under `templates/cached/`: parts that are the same on every page of a
    /// section (the main menu, the footer). Each is rendered once per language, folder and
    /// section, and pages include the result as `{{{cached.<name>}}}`.
    public var cachedTemplates: [String] { templateNames.filter { $0.hasPrefix(Self.cachedFolder) }.sorted() }
    public static let cachedFolder = "cached/"

    /// Templates the generator renders; a theme must provide each.
    public static let requiredTemplates = ["home", "section", "goal", "principle", "action", "party", "news", "page", "actions", "search", "404", "atom", "sitemap"]

    /// Keys the generator itself reads from every strings file.
    public static let requiredStrings = ["locale", "language_name", "date_format", "search_slug",
                                         "folders.goal", "folders.principle", "folders.action", "folders.party", "folders.news"]

    public static func load(directory: String, languages: [String], diagnostics: DiagnosticBag) -> Theme? {
        let root = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let templatesDir = root + "/templates"
        guard ContentLoader.isDirectory(templatesDir) else {
            diagnostics.error(SourceLocation(path: templatesDir), "theme has no templates folder; expected \(templatesDir) with .mustache files")
            return nil
        }
        var library = MustacheLibrary()
        var names = Set<String>()
        var sources: [String: (path: String, text: String)] = [:]
        let fm = FileManager.default
        let files = (fm.enumerator(atPath: templatesDir)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".mustache") }.sorted()
        for file in files {
            let path = templatesDir + "/" + file
            let name = String(file.dropLast(".mustache".count))
            guard let text = ContentLoader.readText(path: path, realRoot: URL(fileURLWithPath: root).resolvingSymlinksInPath().path, diagnostics: diagnostics, missing: "template cannot be read") else { continue }
            do {
                try library.register(text, named: name)
                names.insert(name)
                sources[name] = (path, text)
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.error(SourceLocation(path: path, line: error.context.lineNumber, column: error.context.columnNumber),
                                  "template syntax error: \(describe(error.error)); check that every {{#section}} has its {{/section}}")
            } catch {
                diagnostics.error(SourceLocation(path: path, line: 1, column: 1), "template syntax error: \(error)")
            }
        }
        for name in requiredTemplates where sources[name] == nil && !names.contains(name) {
            if !diagnostics.hasErrors || !files.contains(name + ".mustache") {
                diagnostics.error(SourceLocation(path: templatesDir + "/" + name + ".mustache"), "template '\(name)' is missing; the theme must provide it")
            }
        }
        checkPartials(sources: sources, known: Set(files.map { String($0.dropLast(".mustache".count)) }), diagnostics: diagnostics)

        var strings: [String: [String: Any]] = [:]
        for language in languages {
            let path = root + "/strings/\(language).yml"
            guard let text = ContentLoader.readText(path: path, realRoot: URL(fileURLWithPath: root).resolvingSymlinksInPath().path, diagnostics: diagnostics,
                                                    missing: "no UI strings for language '\(language)'; expected \(path)") else { continue }
            guard let node = YAMLText.compose(text, path: path, lineOffset: 0, diagnostics: diagnostics) else { continue }
            guard let value = plain(node) as? [String: Any] else {
                diagnostics.error(SourceLocation(path: path, line: 1, column: 1), "strings must be 'key: text' lines")
                continue
            }
            for key in requiredStrings where lookup(value, key) == nil {
                diagnostics.error(SourceLocation(path: path, line: 1, column: 1), "string '\(key)' is missing; the generator needs it")
            }
            strings[language] = value
        }
        // Every language must have the words the first one has, or a page would show a blank.
        if let first = languages.first, let reference = strings[first] {
            for language in languages.dropFirst() {
                guard let other = strings[language] else { continue }
                for key in flatKeys(reference) where lookup(other, key) == nil {
                    diagnostics.error(SourceLocation(path: root + "/strings/\(language).yml", line: 1, column: 1), "string '\(key)' is missing; \(first).yml has it")
                }
            }
        }

        var assets: [(String, Data)] = []
        let assetsDir = root + "/assets"
        for file in (fm.enumerator(atPath: assetsDir)?.allObjects as? [String] ?? []).sorted() {
            let path = assetsDir + "/" + file
            guard !ContentLoader.isDirectory(path), !ContentLoader.isIgnored(URL(fileURLWithPath: file).lastPathComponent) else { continue }
            guard let data = fm.contents(atPath: path) else {
                diagnostics.error(SourceLocation(path: path), "asset cannot be read")
                continue
            }
            assets.append(("assets/" + file, data))
        }
        return Theme(directory: root, library: library, templateNames: names, strings: strings, assets: assets)
    }

    private static func describe(_ error: Error) -> String {
        String(describing: error).replacingOccurrences(of: "sectionCloseNameIncorrect", with: "a section is closed with another name")
    }

    /// swift-mustache renders a missing partial as nothing; find `{{> name}}` and
    /// `{{< name}}` tags that name no template and report them where they are written.
    static func checkPartials(sources: [String: (path: String, text: String)], known: Set<String>, diagnostics: DiagnosticBag) {
        for (_, source) in sources.sorted(by: { $0.key < $1.key }) {
            var line = 1
            for text in source.text.split(separator: "\n", omittingEmptySubsequences: false) {
                var rest = text[...]
                while let open = rest.range(of: "{{") {
                    let after = rest[open.upperBound...]
                    guard let marker = after.first, marker == ">" || marker == "<", let close = after.range(of: "}}") else {
                        rest = after
                        continue
                    }
                    let name = after[after.index(after: after.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                    if !name.isEmpty && !known.contains(name) && !name.hasPrefix("*") {
                        let column = text.distance(from: text.startIndex, to: open.lowerBound) + 1
                        diagnostics.error(SourceLocation(path: source.path, line: line, column: column), "partial '\(name)' not found; expected a file \(name).mustache in the templates folder")
                    }
                    rest = after[close.upperBound...]
                }
                line += 1
            }
        }
    }

    /// YAML node to plain Swift values for the templates.
    static func plain(_ node: Yams.Node) -> Any {
        switch node {
        case .scalar(let s): return s.string
        case .sequence(let seq): return seq.map(plain)
        case .mapping(let map):
            var d: [String: Any] = [:]
            for (k, v) in map { if let key = k.scalar?.string { d[key] = plain(v) } }
            return d
        case .alias: return ""
        }
    }

    static func lookup(_ dict: [String: Any], _ dotted: String) -> Any? {
        var current: Any? = dict
        for part in dotted.split(separator: ".") {
            current = (current as? [String: Any])?[String(part)]
        }
        return current
    }

    static func flatKeys(_ dict: [String: Any], prefix: String = "") -> [String] {
        dict.keys.sorted().flatMap { key -> [String] in
            if let sub = dict[key] as? [String: Any] { return flatKeys(sub, prefix: prefix + key + ".") }
            return [prefix + key]
        }
    }

    public func string(_ language: String, _ key: String) -> String {
        (Theme.lookup(strings[language] ?? [:], key) as? String) ?? ""
    }
}
