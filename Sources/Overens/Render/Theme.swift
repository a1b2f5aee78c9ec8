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
        let folder = Files.Root(directory, name: "theme folder")
        let root = folder.path
        let templatesDir = root + "/templates"
        guard Files.isDirectory(templatesDir) else {
            diagnostics.error(SourceLocation(path: templatesDir), "theme has no templates folder; expected \(templatesDir) with .mustache files")
            return nil
        }
        var library = MustacheLibrary()
        var names = Set<String>()
        var sources: [String: (path: String, text: String)] = [:]
        let fm = FileManager.default
        let files = (fm.enumerator(atPath: templatesDir)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".mustache") && !$0.split(separator: "/").contains(where: { Files.isIgnored(String($0)) }) }.sorted()
        // Read every template and check the include graph before the engine parses any:
        // a cycle or runaway nesting would overflow its stack.
        var texts: [(name: String, path: String, text: String)] = []
        for file in files {
            let path = templatesDir + "/" + file
            guard let text = Files.readText(path, in: folder, diagnostics: diagnostics, missing: "template cannot be read") else { continue }
            texts.append((String(file.dropLast(".mustache".count)), path, text))
        }
        let scans = Dictionary(texts.map { ($0.name, TemplateCheck.scan($0.text, path: $0.path)) }, uniquingKeysWith: { a, _ in a })
        let refused = TemplateCheck.check(scans, diagnostics: diagnostics)
        for (name, path, text) in texts where !refused.contains(name) {
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

        var strings: [String: [String: Any]] = [:]
        for language in languages {
            let path = root + "/strings/\(language).yml"
            guard let text = Files.readText(path, in: folder, diagnostics: diagnostics,
                                            missing: "no UI strings for language '\(language)'; expected \(path)") else { continue }
            guard let node = YAMLText.compose(text, path: path, lineOffset: 0, diagnostics: diagnostics) else { continue }
            guard let value = plain(node) as? [String: Any] else {
                diagnostics.error(SourceLocation(path: path, line: 1, column: 1), "strings must be 'key: text' lines")
                continue
            }
            for key in requiredStrings where lookup(value, key) == nil {
                diagnostics.error(SourceLocation(path: path, line: 1, column: 1), "string '\(key)' is missing; the generator needs it")
            }
            checkGeneratorStrings(node, path: path, diagnostics: diagnostics)
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
            // Every part of the path, not only the file name: a hidden folder is private too.
            guard !Files.isDirectory(path), !file.split(separator: "/").contains(where: { Files.isIgnored(String($0)) }) else { continue }
            guard let data = Files.readData(path, in: folder, diagnostics: diagnostics, missing: "asset cannot be read") else { continue }
            assets.append(("assets/" + file, data))
        }
        return Theme(directory: root, library: library, templateNames: names, strings: strings, assets: assets)
    }

    /// Strings that name places in the output, or that the generator hands to the system:
    /// each is checked where it is written, since a bad one would write outside the output
    /// (`search_slug: ../../x`), hide a page (`.html`) or sort and date in no language.
    static let outputNameKeys = ["search_slug"] + Kind.allCases.filter { $0 != .page }.map { "folders.\($0.rawValue)" }

    static func checkGeneratorStrings(_ root: Yams.Node, path: String, diagnostics: DiagnosticBag) {
        func node(_ dotted: String) -> Yams.Node? {
            dotted.split(separator: ".").reduce(Optional(root)) { node, part in node?.mapping?[Yams.Node(String(part))] }
        }
        func at(_ node: Yams.Node) -> SourceLocation {
            SourceLocation(path: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        }
        var used: [String: String] = [:]
        for key in outputNameKeys {
            guard let value = node(key) else { continue }
            guard let name = value.scalar?.string else {
                diagnostics.error(at(value), "string '\(key)' must be one name, such as \(key == "search_slug" ? "sok" : "mal")")
                continue
            }
            if let problem = Files.outputNameProblem(name) {
                diagnostics.error(at(value), "string '\(key)' is '\(name)', which \(problem); expected \(Identifier.rule), as it names a place in the site")
            } else if let other = used[name] {
                diagnostics.error(at(value), "string '\(key)' is '\(name)', as '\(other)' is; expected a name of its own, or both would write one place")
            } else if reservedOutputNames.contains(name) {
                diagnostics.error(at(value), "string '\(key)' is '\(name)', which the generator writes itself; expected another name")
            }
            used[name] = key
        }
        if let value = node("locale"), let identifier = value.scalar?.string, !Locale.availableIdentifiers.contains(identifier) {
            diagnostics.error(at(value), "locale '\(identifier)' is not one the system knows; expected a language and country such as sv_SE or en_GB")
        }
    }

    /// Folders and files at a language's root that the generator writes on its own.
    static let reservedOutputNames: Set<String> = ["assets", "data", "index", "atom", "404", "sitemap", "robots"]

    private static func describe(_ error: Error) -> String {
        String(describing: error).replacingOccurrences(of: "sectionCloseNameIncorrect", with: "a section is closed with another name")
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
