import Foundation

public enum Status: String, CaseIterable, Sendable, Codable { case planned, ongoing, completed }
public enum Sector: String, CaseIterable, Sendable, Codable { case `public`, nonprofit }

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
    /// Which of these fields the file wrote, and where; translations are checked against them.
    public var written: [String: SourceLocation] = [:]
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
        default: ""
        }
    }

    static let all = ["order", "number", "goals", "parties", "actions", "status", "sector", "joined", "website", "date"]
}

/// What one language's file says: the words, the slug and the parsed body.
public struct Translation: Sendable {
    public var language: String
    public var path: String
    public var title: String
    public var summary: String?
    public var slug: String
    public var slugLocation: SourceLocation
    public var menu: Int?
    public var body: MarkdownDocument
    /// Links in the body that name other content (`goal:ID`, ...), resolved by the link stage.
    public var references: [Reference]
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
    static let common: Set<String> = ["title", "summary", "slug"]

    static func allowed(_ kind: Kind) -> Set<String> {
        common.union(neutral(kind)).union(kind == .page ? ["menu"] : [])
    }

    static func neutral(_ kind: Kind) -> Set<String> {
        switch kind {
        case .goal, .principle: ["order"]
        case .action: ["number", "goals", "parties", "status"]
        case .party: ["sector", "joined", "website"]
        case .news: ["date", "actions", "goals", "parties"]
        case .page: []
        }
    }

    /// Required neutral fields; checked on the default language's file only.
    static func required(_ kind: Kind) -> [String] {
        switch kind {
        case .goal, .principle: ["order"]
        case .action: ["number", "goals"]
        case .party: []
        case .news: ["date"]
        case .page: []
        }
    }
}

/// Parse stage: front matter to typed fields, body to a Markdown tree.
public enum ContentParser {
    /// Schemes of in-content links, one per kind: `[text](goal:ID)`.
    public static let linkSchemes: [String: Kind] = Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0.rawValue, $0) })

    /// `goal:ID` and its kin, with an optional `#fragment`: links that the render stage
    /// points at a page. Nil for any other link.
    public static func contentLink(_ url: String) -> (kind: Kind, id: String, fragment: String)? {
        guard let colon = url.firstIndex(of: ":"), let kind = linkSchemes[String(url[..<colon])] else { return nil }
        let target = url[url.index(after: colon)...]
        let hash = target.firstIndex(of: "#") ?? target.endIndex
        return (kind, String(target[..<hash]), String(target[hash...]))
    }

    static func isContentLink(_ url: String) -> Bool { contentLink(url) != nil }

    public static func parse(_ file: SourceFile, diagnostics: DiagnosticBag) -> ParsedFile? {
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
        for key in neutral where reader.has(key) { fields.written[key] = reader.location(key) }

        let menu = file.kind == .page ? reader.int("menu", range: 0...1000) : nil
        let summary = reader.string("summary")
        // What cmark-gfm 0.29 would take minutes over is refused before it sees the text.
        let refused = MarkdownLimits.check(front.body)
        for finding in refused {
            diagnostics.error(SourceLocation(path: file.path, line: finding.line + front.bodyLineOffset, column: finding.column), finding.message)
        }
        let body = Markdown.parse(refused.isEmpty ? front.body : "", lineOffset: front.bodyLineOffset, rewritable: isContentLink)

        var references: [Reference] = []
        for link in body.links {
            guard let target = contentLink(link.url) else { continue }
            references.append(Reference(kind: target.kind, id: target.id, location: SourceLocation(path: file.path, line: link.line, column: link.column)))
        }

        guard let title else { return nil }
        let translation = Translation(
            language: file.language, path: file.path, title: title, summary: summary, slug: slug,
            slugLocation: reader.has("slug") ? reader.location("slug") : SourceLocation(path: file.path, line: 1, column: 1),
            menu: menu, body: body, references: references)
        return ParsedFile(kind: file.kind, id: file.id, fields: fields, translation: translation)
    }
}
