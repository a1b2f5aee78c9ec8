import Foundation

/// The kinds of content an editor writes, one folder each under `content/`.
public enum Kind: String, CaseIterable, Sendable, Codable, Comparable {
    case goal, principle, action, party, news, event, document, page

    /// The folder under `content/`.
    public var folder: String {
        switch self {
        case .goal: "goals"
        case .principle: "principles"
        case .action: "actions"
        case .party: "parties"
        case .news: "news"
        case .event: "events"
        case .document: "documents"
        case .page: "pages"
        }
    }

    /// The scheme of a Markdown link to an entry of this kind: `[text](goal:ID)`.
    public var linkScheme: String { self == .document ? "doc" : rawValue }

    public init?(folder: String) {
        guard let kind = Kind.allCases.first(where: { $0.folder == folder }) else { return nil }
        self = kind
    }

    /// Declaration order, the order of the site's sections.
    private var rank: Int {
        switch self {
        case .goal: 0
        case .principle: 1
        case .action: 2
        case .party: 3
        case .news: 4
        case .event: 5
        case .document: 6
        case .page: 7
        }
    }

    public static func < (a: Kind, b: Kind) -> Bool { a.rank < b.rank }

    /// The sections of the main menu and the search page, in their order.
    public static let menuSections: [Kind] = [.goal, .action, .principle, .party, .news, .event, .document]
}

/// One content file as read from disk, before parsing.
public struct SourceFile: Sendable {
    public var path: String          // as shown in messages, e.g. content/actions/kris.sv.md
    public var kind: Kind
    public var id: String
    public var language: String
    public var text: String
}

/// Rules for ids and slugs: lowercase ASCII letters, digits and hyphens.
public enum Identifier {
    public static func isValid(_ s: String) -> Bool {
        guard let first = s.utf8.first, let last = s.utf8.last, s.utf8.count <= 120 else { return false }
        guard first != UInt8(ascii: "-"), last != UInt8(ascii: "-") else { return false }
        return s.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || c == UInt8(ascii: "-")
        }
    }

    public static let rule = "lowercase letters a-z, digits and hyphens (not first or last)"
}
