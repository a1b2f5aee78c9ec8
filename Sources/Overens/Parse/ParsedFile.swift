import Foundation

public enum Status: String, CaseIterable, Sendable, Codable { case planned, ongoing, completed }
public enum Sector: String, CaseIterable, Sendable, Codable { case `public`, nonprofit }
/// What a document is; its label comes from the theme's strings (`document_kinds.*`).
public enum DocumentKind: String, CaseIterable, Sendable, Codable { case agreement, plan, minutes, memo, report, presentation }

/// A file or image named in front matter (`file:`, `image:`), with its place.
public struct AssetReference: Hashable, Sendable {
    /// As written: a path inside `content/files/` or `content/images/`.
    public var path: String
    public var location: SourceLocation
}

/// A cross-reference as written in front matter or in a Markdown link, with its place.
public struct Reference: Hashable, Sendable {
    public var kind: Kind
    public var id: String
    public var location: SourceLocation
}

/// Fields that mean the same in every language; read from the default language's file.
public struct NeutralFields: Sendable {
    public var order: Int?
    public var number: Int?
    public var goals: [Reference] = []
    public var parties: [Reference] = []
    public var actions: [Reference] = []
    public var status: Status?
    public var sector: Sector?
    public var joined: Int?
    public var website: String?
    public var date: Day?
    /// Documents the entry rests on.
    public var sources: [Reference] = []
    public var documentKind: DocumentKind?
    /// News, events and parties: a photo or a logo in `content/images/`.
    public var image: AssetReference?
    /// Events: when, in the site's time zone; who organises; where to follow or sign up.
    public var start: EventTime?
    public var end: EventTime?
    public var organisers: [Reference] = []
    public var online: String?
    public var registration: String?
    /// Which of these fields the file wrote, and where; translations are checked against them.
    public var written: [String: SourceLocation] = [:]
    /// Where the values of the web-address fields (`website`, `online`, `registration`) start,
    /// for `check --external`.
    public var addressLocations: [String: SourceLocation] = [:]
    /// Fields written with a value that was refused and reported (an id with å, say): no
    /// later check reports them again as empty or as disagreeing with a translation.
    public var refused: Set<String> = []

    /// A comparable rendering of one field, to tell whether two files agree on it.
    func value(of field: String) -> String {
        switch field {
        case "order": order.map(String.init) ?? ""
        case "number": number.map(String.init) ?? ""
        case "goals": goals.map(\.id).joined(separator: ",")
        case "parties": parties.map(\.id).joined(separator: ",")
        case "actions": actions.map(\.id).joined(separator: ",")
        case "status": status?.rawValue ?? ""
        case "sector": sector?.rawValue ?? ""
        case "joined": joined.map(String.init) ?? ""
        case "website": website ?? ""
        case "date": date?.description ?? ""
        case "sources": sources.map(\.id).joined(separator: ",")
        case "kind": documentKind?.rawValue ?? ""
        case "image": image?.path ?? ""
        case "start": start?.description ?? ""
        case "end": end?.description ?? ""
        case "organisers": organisers.map(\.id).joined(separator: ",")
        case "online": online ?? ""
        case "registration": registration ?? ""
        default: ""
        }
    }

    static let all = ["order", "number", "goals", "parties", "actions", "status", "sector", "joined", "website", "date", "sources", "kind", "image",
                      "start", "end", "organisers", "online", "registration"]
}

/// What one language's file says: the words, the slug and the parsed body.
public struct Translation: Sendable {
    public var language: String
    public var path: String
    public var title: String
    /// A shorter title for tables, breadcrumbs and charts (`short_title:`).
    public var shortTitle: String?
    public var summary: String?
    public var slug: String
    public var slugLocation: SourceLocation
    public var menu: Int?
    public var body: MarkdownDocument
    /// Links in the body that name other content (`goal:ID`, ...), resolved by the link stage.
    public var references: [Reference]
    /// The image's alt text (`image_alt:`), in this language.
    public var imageAlt: String?
    public var imageAltLocation: SourceLocation?
    /// Documents: the file this language links (`file:`); nil takes the default language's.
    public var file: AssetReference?
    /// Events: where, in this language's words.
    public var place: String?
    /// Held back from a build (`draft: true`).
    public var draft = false
    /// Addresses this language's page had before, from the site root, kept as redirects.
    public var aliases: [(path: String, location: SourceLocation)] = []
    /// Fields and text still holding `TODO` (from `overens new`), with their place.
    public var todos: [(field: String, location: SourceLocation)] = []
}

/// One content file after parsing.
public struct ParsedFile: Sendable {
    public var kind: Kind
    public var id: String
    public var fields: NeutralFields
    public var translation: Translation
}

/// The fields each kind requires and allows, as the content model defines them.
enum Schema {
    static let common: Set<String> = ["title", "short_title", "summary", "slug", "draft", "aliases"]

    /// Asked for every file: made once per kind.
    static func allowed(_ kind: Kind) -> Set<String> { allowedByKind[kind]! }
    static func neutral(_ kind: Kind) -> Set<String> { neutralByKind[kind]! }

    private static let neutralByKind = Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, neutralFields($0)) })
    private static let allowedByKind = Dictionary(uniqueKeysWithValues: Kind.allCases.map { kind in
        var fields = common.union(neutral(kind))
        if kind == .page { fields.insert("menu") }
        if neutral(kind).contains("image") { fields.insert("image_alt") }
        if kind == .document { fields.insert("file") }
        if kind == .event { fields.insert("place") }
        return (kind, fields)
    })

    private static func neutralFields(_ kind: Kind) -> Set<String> {
        switch kind {
        case .goal, .principle: ["order", "sources"]
        case .action: ["number", "goals", "parties", "status", "sources"]
        case .news: ["date", "actions", "goals", "parties", "sources", "image"]
        case .document: ["kind", "date", "actions", "goals", "parties", "sources"]
        case .event: ["start", "end", "organisers", "actions", "goals", "image", "online", "registration", "sources"]
        case .party: ["sector", "joined", "website", "sources", "image"]
        case .page: ["sources"]
        }
    }

    /// Required neutral fields; checked on the default language's file only.
    static func required(_ kind: Kind) -> [String] {
        switch kind {
        case .goal, .principle: ["order"]
        case .action: ["number", "goals"]
        case .party: []
        case .news: ["date"]
        case .document: ["kind"]
        case .event: ["start"]
        case .page: []
        }
    }
}

/// Parse stage: front matter to typed fields, body to a Markdown tree.
public enum ContentParser {
    /// Schemes of in-content links, one per kind: `[text](goal:ID)`, `[text](doc:ID)`.
    public static let linkSchemes: [String: Kind] = Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0.linkScheme, $0) })

    /// What the render does with each link of a body: entry, file and local links get their
    /// target per page (a file's link also its format and size); an image from
    /// `content/images/` becomes a figure.
    static func treatment(_ link: MarkdownLink) -> LinkTreatment {
        switch link.target {
        case .entry, .local: .target
        case .file: link.isImage ? .target : .targetAndSuffix
        case .image: .element
        case .external, .fragment, .forbidden: .keep
        }
    }

    /// Parses one file; with a `spool`, its body's HTML and words wait on disk (see `TextSpool`).
    public static func parse(_ file: SourceFile, diagnostics: DiagnosticBag, spool: TextSpool? = nil) -> ParsedFile? {
        guard let front = FrontMatter.parse(file.text, path: file.path, diagnostics: diagnostics) else { return nil }
        let reader = FieldReader(mapping: front.fields, path: file.path, lineOffset: front.yamlLineOffset, diagnostics: diagnostics)
        reader.warnUnknown(allowed: Schema.allowed(file.kind), kind: file.kind.rawValue)

        let title = reader.string("title", required: true)
        var slug = file.id
        if let given = reader.string("slug") {
            if Identifier.isValid(given) {
                slug = given
            } else {
                diagnostics.error(reader.location("slug"), .badSlug(given))
            }
        }

        var fields = NeutralFields()
        let neutral = Schema.neutral(file.kind)
        func refs(_ key: String, _ kind: Kind) -> [Reference] {
            guard neutral.contains(key) else { return [] }
            let list = reader.ids(key, required: false) ?? []
            if reader.has(key) && !reader.idsAllValid(key) { fields.refused.insert(key) }
            return list.map { Reference(kind: kind, id: $0.id, location: $0.location) }
        }
        if neutral.contains("order") { fields.order = reader.int("order") }
        if neutral.contains("number") { fields.number = reader.int("number", range: 1...1_000_000) }
        fields.goals = refs("goals", .goal)
        fields.parties = refs("parties", .party)
        fields.actions = refs("actions", .action)
        if neutral.contains("status") { fields.status = reader.choice("status") }
        if neutral.contains("sector") { fields.sector = reader.choice("sector") }
        if neutral.contains("joined") { fields.joined = reader.int("joined", range: Day.earliestYear...9999) }
        if neutral.contains("website") { fields.website = reader.url("website") }
        if neutral.contains("date") { fields.date = reader.date("date") }
        fields.sources = refs("sources", .document)
        if neutral.contains("kind") { fields.documentKind = reader.choice("kind") }
        func asset(_ key: String) -> AssetReference? {
            reader.string(key).map { AssetReference(path: $0, location: reader.valueLocation(key)) }
        }
        if neutral.contains("image") { fields.image = asset("image") }
        fields.organisers = refs("organisers", .party)
        if neutral.contains("start") {
            fields.start = reader.eventTime("start")
            if let start = fields.start, neutral.contains("end") {
                fields.end = reader.eventTime("end", sameDayAs: start)
                if let end = fields.end {
                    if start.hasTime && !end.hasTime {
                        diagnostics.error(reader.valueLocation("end"), .endNeedsTime)
                    } else if !start.hasTime && end.hasTime {
                        diagnostics.error(reader.valueLocation("end"), .endWithoutTime)
                    } else if end < start {
                        diagnostics.error(reader.valueLocation("end"), .endBeforeStart(end.description, start: start.description))
                    }
                }
            }
        }
        if neutral.contains("online") { fields.online = reader.url("online") }
        if neutral.contains("registration") { fields.registration = reader.url("registration") }
        for key in neutral where reader.has(key) { fields.written[key] = reader.location(key) }
        for key in ["website", "online", "registration"] where neutral.contains(key) && reader.has(key) {
            fields.addressLocations[key] = reader.valueLocation(key)
        }

        let menu = file.kind == .page ? reader.int("menu", range: 0...1000) : nil
        let summary = reader.string("summary")
        // What cmark-gfm 0.29 would take minutes over is refused before it sees the text.
        let refused = MarkdownLimits.check(front.body)
        for finding in refused {
            diagnostics.error(SourceLocation(path: file.path, line: finding.line + front.bodyLineOffset, column: finding.column), finding.message)
        }
        let body = Markdown.parse(refused.isEmpty ? front.body : "", lineOffset: front.bodyLineOffset, spool: spool, treatment: treatment)

        var references: [Reference] = []
        for link in body.links {
            guard case let .entry(kind, id, _) = link.target else { continue }
            references.append(Reference(kind: kind, id: id, location: SourceLocation(path: file.path, line: link.line, column: link.column)))
        }

        let imageAlt = Schema.allowed(file.kind).contains("image_alt") ? reader.string("image_alt") : nil
        let documentFile = file.kind == .document ? asset("file") : nil

        guard let title else { return nil }
        var translation = Translation(
            language: file.language, path: file.path, title: title, summary: summary, slug: slug,
            slugLocation: reader.has("slug") ? reader.location("slug") : SourceLocation(path: file.path, line: 1, column: 1),
            menu: menu, body: body, references: references)
        translation.imageAlt = imageAlt
        translation.imageAltLocation = reader.has("image_alt") ? reader.valueLocation("image_alt") : nil
        translation.file = documentFile
        translation.place = file.kind == .event ? reader.string("place") : nil
        translation.shortTitle = reader.string("short_title")
        translation.draft = reader.bool("draft") ?? false
        translation.aliases = reader.texts("aliases").map { (path: $0.text, location: $0.location) }
        // What `overens new` leaves to fill in; `check` reports it until it is written.
        for key in ["title", "summary", "place", "image_alt"] where (reader.has(key) ? reader.string(key) : nil)?.hasPrefix("TODO") == true {
            translation.todos.append((key, reader.valueLocation(key)))
        }
        if let line = Self.firstLine(startingWith: "TODO", in: front.body) {
            translation.todos.append(("body", SourceLocation(path: file.path, line: front.bodyLineOffset + line + 1, column: 1)))
        }
        return ParsedFile(kind: file.kind, id: file.id, fields: fields, translation: translation)
    }

    /// The number (from 0) of the first line of `text` that starts with `prefix`. On UTF-8
    /// bytes: splitting a whole body into `Character` lines was a fifth of parsing.
    static func firstLine(startingWith prefix: String, in text: String) -> Int? {
        let bytes = text.utf8, wanted = prefix.utf8
        var line = 0
        var start = bytes.startIndex
        while true {
            if bytes[start...].starts(with: wanted) { return line }
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            start = bytes.index(after: newline)
            line += 1
        }
    }
}

/// What a link in Markdown points at, by its scheme.
public enum LinkTarget: Hashable, Sendable {
    /// `goal:ID`, `doc:ID` and the other kinds' schemes, with an optional `#fragment`.
    case entry(Kind, id: String, fragment: String)
    /// `file:path`: a file under `content/files/`.
    case file(String)
    /// `image:name`: a photo under `content/images/`.
    case image(String)
    /// http, https, mailto, tel: left as written.
    case external
    /// `#part` of the same page.
    case fragment
    /// A path without a scheme: relative to the page, or from the site root with `/`.
    case local(String)
    /// Any other scheme (`javascript:`, `data:`, `ftp:`) or a `//host` path.
    case forbidden(String)

    public static let externalSchemes: Set<String> = ["http", "https", "mailto", "tel"]

    /// Works on the UTF-8 bytes: every link of the site is classified here, and a
    /// scheme is ASCII by definition.
    public init(_ url: String) {
        let bytes = url.utf8
        guard let first = bytes.first else { self = .local(url); return }
        if first == UInt8(ascii: "#") { self = .fragment; return }
        if bytes.starts(with: "//".utf8) { self = .forbidden("//"); return }
        guard let colon = Self.schemeEnd(bytes) else { self = .local(url); return }
        let scheme = String(Substring(bytes[..<colon]))
        let rest = Substring(bytes[bytes.index(after: colon)...])
        switch scheme.lowercased() {
        case "file": self = .file(String(rest))
        case "image": self = .image(String(rest))
        case let other where Self.externalSchemes.contains(other): self = .external
        case let other:
            if let kind = ContentParser.linkSchemes[scheme] {
                let hash = rest.utf8.firstIndex(of: UInt8(ascii: "#")) ?? rest.endIndex
                self = .entry(kind, id: String(rest[..<hash]), fragment: String(rest[hash...]))
            } else {
                self = .forbidden(other)
            }
        }
    }

    /// RFC 3986: a letter, then letters, digits, `+`, `-` or `.`, then `:`. The colon's
    /// place, or nil when the text before the first colon is no scheme.
    static func schemeEnd(_ bytes: String.UTF8View) -> String.Index? {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > bytes.startIndex else { return nil }
        func letter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
        guard letter(bytes[bytes.startIndex]) else { return nil }
        for b in bytes[..<colon] where !(letter(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")) {
            return nil
        }
        return colon
    }

    static func scheme(of url: String) -> String? {
        schemeEnd(url.utf8).map { String(Substring(url.utf8[..<$0])) }
    }
}
