import Foundation
import Mustache
import Yams

/// The theme: Mustache templates, the UI's words per language and static assets.
public struct Theme: Sendable {
    public var directory: String
    public var library: MustacheLibrary
    public var templateNames: Set<String>
    /// `theme/strings/<lang>.yml`, as the YAML nests them, for the templates (`t.*`).
    var strings: [String: StringTree]
    /// Asset files, site-relative output path → bytes; those a template names with
    /// `{{#asset}}` under fingerprinted names.
    public var assets: [(path: String, data: Data)]
    /// Each asset's name in `theme/assets/` → its name in the output's `assets/`, for
    /// `{{#asset}}style.css{{/asset}}`.
    public var assetNames: [String: String] = [:]

    /// Templates under `templates/cached/`: parts that are the same on every page of a
    /// section (the main menu, the footer). Each is rendered once per language, folder and
    /// section, and pages include the result as `{{{cached.<name>}}}`.
    public var cachedTemplates: [String] { templateNames.filter { $0.hasPrefix(Self.cachedFolder) }.sorted() }
    public static let cachedFolder = "cached/"
    /// Templates under `templates/items/`: one link of a list, drawn once per entry,
    /// language and folder; a list includes it as `{{{item.<name>}}}`. Names without the folder.
    public var itemTemplates: Set<String> { Self.itemNames(among: templateNames) }
    static func itemNames(among templates: some Sequence<String>) -> Set<String> {
        Set(templates.filter { $0.hasPrefix(itemFolder) }.map { String($0.dropFirst(itemFolder.count)) })
    }
    public static let itemFolder = "items/"
    static let assetFolder = "assets/"
    /// Put before every template: its `{{name}}` values are escaped by `Escape.html`, a
    /// byte-level escaper, instead of swift-mustache's. On a line of its own, a standalone
    /// tag, so it leaves no trace in the output.
    static let contentTypePragma = "{{%CONTENT_TYPE:\(Escape.contentTypeName)}}\n"

    /// Templates the generator renders; a theme must provide each.
    public static let requiredTemplates = ["home", "section", "goal", "principle", "action", "party", "news", "page", "actions", "search", "404", "atom", "sitemap"]

    /// Keys the generator itself reads from every strings file.
    public static let requiredStrings = ["locale", "language_name", "date_format", "search_slug",
                                         "folders.goal", "folders.principle", "folders.action", "folders.party", "folders.news"]

    /// One template's text and where it was read.
    public struct TemplateText: Sendable {
        public var name: String
        public var path: String
        public var text: String

        public init(name: String, path: String, text: String) {
            self.name = name
            self.path = path
            self.text = text
        }
    }

    /// Reads a theme folder and makes the theme of it.
    public static func load(directory: String, languages: [String], diagnostics: DiagnosticBag) -> Theme? {
        guard let texts = read(directory: directory, languages: languages, diagnostics: diagnostics) else { return nil }
        return make(directory: texts.directory, templates: texts.templates, strings: texts.strings, assets: texts.assets, languages: languages, diagnostics: diagnostics)
    }

    /// What a theme folder holds, read but not yet checked.
    public struct Texts: Sendable {
        public var directory: String
        public var templates: [TemplateText]
        public var strings: [String: (path: String, text: String)]
        public var assets: [(path: String, data: Data)]
    }

    /// Reads a theme folder: every template, each language's strings and the assets.
    /// Nothing is read from outside the folder, through a link or otherwise.
    public static func read(directory: String, languages: [String], diagnostics: DiagnosticBag) -> Texts? {
        let folder = Files.Root(directory, name: "theme folder")
        let root = folder.path
        let templatesDir = root + "/templates"
        guard Files.isDirectory(templatesDir) else {
            diagnostics.error(SourceLocation(path: templatesDir), .noTemplatesFolder(templatesDir))
            return nil
        }
        let fm = FileManager.default
        func visible(_ relative: String) -> Bool { !relative.split(separator: "/").contains { Files.isIgnored(String($0)) } }

        var templates: [TemplateText] = []
        for file in (fm.enumerator(atPath: templatesDir)?.allObjects as? [String] ?? []).sorted() where file.hasSuffix(".mustache") && visible(file) {
            let path = templatesDir + "/" + file
            guard let text = Files.readText(path, in: folder, diagnostics: diagnostics, missing: .templateUnreadable) else { continue }
            templates.append(TemplateText(name: String(file.dropLast(".mustache".count)), path: path, text: text))
        }
        var strings: [String: (path: String, text: String)] = [:]
        for language in languages {
            let path = root + "/strings/\(language).yml"
            guard let text = Files.readText(path, in: folder, diagnostics: diagnostics,
                                            missing: .noStrings(language, path: path)) else { continue }
            strings[language] = (path, text)
        }
        var assets: [(path: String, data: Data)] = []
        let assetsDir = root + "/assets"
        for file in (fm.enumerator(atPath: assetsDir)?.allObjects as? [String] ?? []).sorted() where visible(file) {
            let path = assetsDir + "/" + file
            guard !Files.isDirectory(path) else { continue }
            guard let data = Files.readData(path, in: folder, diagnostics: diagnostics, missing: .assetUnreadable) else { continue }
            assets.append(("assets/" + file, data))
        }
        return Texts(directory: root, templates: templates, strings: strings, assets: assets)
    }

    /// A theme from texts already read: templates checked and parsed, strings checked.
    /// The fuzzer calls this directly with texts it made.
    public static func make(directory: String, templates: [TemplateText], strings texts: [String: (path: String, text: String)],
                            assets: [(path: String, data: Data)], languages: [String], diagnostics: DiagnosticBag) -> Theme {
        // The include graph and the nesting are checked before the engine parses anything:
        // a cycle or runaway nesting would overflow its stack.
        // Each template's scan and parse, and each language's strings, on all cores: a
        // theme is read on every build, before any page can be drawn.
        let scanned = parallelMap(templates) { TemplateCheck.scan($0.text, path: $0.path) }
        let scans = Dictionary(zip(templates.map(\.name), scanned), uniquingKeysWith: { a, _ in a })
        let refused = TemplateCheck.check(scans, diagnostics: diagnostics)
        var published: [(path: String, data: Data)] = []
        var assetNames: [String: String] = [:]
        let named = Set(scans.values.flatMap { $0.assets.map { assetFolder + $0.name } })
        for asset in assets {
            let path = named.contains(asset.path) ? Fingerprint.name(asset.path, data: asset.data) : asset.path
            assetNames[String(asset.path.dropFirst(assetFolder.count))] = String(path.dropFirst(assetFolder.count))
            published.append((path, asset.data))
        }
        TemplateCheck.checkAssets(scans, names: assetNames, diagnostics: diagnostics)
        TemplateCheck.checkItems(scans, diagnostics: diagnostics)
        var library = MustacheLibrary()
        var names = Set<String>()
        Escape.registered
        let accepted = templates.filter { !refused.contains($0.name) }
        let parsed = parallelMap(accepted) { template in
            Result { try MustacheTemplate(string: contentTypePragma + template.text) }
        }
        for (template, result) in zip(accepted, parsed) {
            do {
                library.register(try result.get(), named: template.name)
                names.insert(template.name)
            } catch let error as MustacheTemplate.ParserError {
                // The pragma is a line of its own before the theme's first.
                diagnostics.error(SourceLocation(path: template.path, line: max(1, error.context.lineNumber - 1), column: error.context.columnNumber),
                                  .templateSyntax(describe(error.error)))
            } catch {
                diagnostics.error(SourceLocation(path: template.path, line: 1, column: 1), .templateSyntaxOther("\(error)"))
            }
        }
        let present = Set(templates.map(\.name))
        for name in requiredTemplates where !present.contains(name) {
            diagnostics.error(SourceLocation(path: directory + "/templates/" + name + ".mustache"), .templateMissing(name))
        }

        var strings: [String: StringTree] = [:]
        let trees = parallelMap(languages) { language -> (tree: StringTree?, diagnostics: [Diagnostic]) in
            guard let (path, text) = texts[language] else { return (nil, []) }
            let bag = DiagnosticBag()
            return (stringTree(text, path: path, diagnostics: bag), bag.all)
        }
        for (language, result) in zip(languages, trees) {
            result.diagnostics.forEach(diagnostics.report)
            strings[language] = result.tree
        }
        // Every language must have the words the first one has, or a page would show a blank.
        if let first = languages.first, let reference = strings[first] {
            for language in languages.dropFirst() {
                guard let other = strings[language], let path = texts[language]?.path else { continue }
                for key in reference.leafKeys() where other.node(key) == nil {
                    diagnostics.error(SourceLocation(path: path, line: 1, column: 1), .stringMissingHere(key, first: first))
                }
            }
        }
        return Theme(directory: directory, library: library, templateNames: names, strings: strings, assets: published, assetNames: assetNames)
    }

    /// One language's strings, checked: a mapping with every required key and usable names.
    static func stringTree(_ text: String, path: String, diagnostics: DiagnosticBag) -> StringTree? {
        guard let node = YAMLText.compose(text, path: path, lineOffset: 0, diagnostics: diagnostics) else { return nil }
        guard let mapping = node.mapping else {
            diagnostics.error(SourceLocation(path: path, line: 1, column: 1), .stringsShape)
            return nil
        }
        let tree = StringTree(mapping)
        for key in requiredStrings where tree.node(key) == nil {
            diagnostics.error(SourceLocation(path: path, line: 1, column: 1), .stringMissing(key))
        }
        checkGeneratorStrings(node, path: path, diagnostics: diagnostics)
        return tree
    }

    /// Strings that name places in the output, or that the generator hands to the system:
    /// each is checked where it is written, since a bad one would write outside the output
    /// (`search_slug: ../../x`), hide a page (`.html`) or sort and date in no language.
    static let outputNameKeys = ["search_slug"] + Kind.allCases.filter { $0 != .page }.map { "folders.\($0.rawValue)" }

    static func checkGeneratorStrings(_ root: Yams.Node, path: String, diagnostics: DiagnosticBag) {
        func node(_ dotted: String) -> Yams.Node? {
            dotted.split(separator: ".").reduce(Optional(root)) { node, part in
                node?.mapping?.first { $0.key.scalar?.string == String(part) }?.value
            }
        }
        func at(_ node: Yams.Node) -> SourceLocation {
            SourceLocation(path: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        }
        var used: [String: String] = [:]
        for key in outputNameKeys {
            guard let value = node(key) else { continue }
            guard let name = value.scalar?.string else {
                diagnostics.error(at(value), .stringOneName(key, example: key == "search_slug" ? "sok" : "mal"))
                continue
            }
            if let problem = Files.outputNameProblem(name) {
                diagnostics.error(at(value), .stringBadName(key, name, problem: problem))
            } else if let other = used[name] {
                diagnostics.error(at(value), .stringNameTaken(key, name, other: other))
            } else if reservedOutputNames.contains(name) {
                diagnostics.error(at(value), .stringNameReserved(key, name))
            }
            used[name] = key
        }
        if let value = node("locale"), let identifier = value.scalar?.string, !Locale.availableIdentifiers.contains(identifier) {
            diagnostics.error(at(value), .unknownLocale(identifier))
        }
    }

    /// Folders and files at a language's root that the generator writes on its own.
    static let reservedOutputNames: Set<String> = ["assets", "data", "index", "atom", "404", "sitemap", "robots"]

    private static func describe(_ error: Error) -> String {
        String(describing: error).replacingOccurrences(of: "sectionCloseNameIncorrect", with: "a section is closed with another name")
    }

    public func string(_ language: String, _ key: String) -> String {
        strings[language]?.text(key) ?? ""
    }
}
