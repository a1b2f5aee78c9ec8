import Foundation
import Mustache
import Yams

// Typed view models. swift-mustache asks a `MustacheParent` for a name with one call (a
// struct without it is read through `Mirror`, which is slow). Each `child(named:)` answers
// exactly the names the templates were given before, with the same kinds of values:
// a value a page lacks is `false` (so `{{#name}}` skips it), a name a view does not have
// is nil (so the lookup climbs to the enclosing section, then to the page).

/// `false` for a missing value, as the templates test it with `{{#name}}`.
func present<Value>(_ value: Value?) -> Any {
    value.map { $0 as Any } ?? false
}

/// A status as lists and item pages show it.
struct StatusView: MustacheParent, Sendable {
    let key: String
    let label: String

    func child(named name: String) -> Any? {
        switch name {
        case "key": key
        case "label": label
        default: nil
        }
    }
}

/// A goal's place in the order of goals and the colour that goes with it.
struct GoalMark: Sendable {
    let position: Int
    var className: String { "goal-\((position - 1) % 8 + 1)" }
}

/// What lists and an item's own page both show about an entry.
struct EntryFacts: MustacheParent, Sendable {
    var number: Int?
    var status: StatusView?
    var date: String?
    var dateISO: String?
    var goal: GoalMark?
    /// Documents: what kind of document it is, in words.
    var kindLabel: String?
    /// Events: when, in words ("12 oktober 2023, 12.00–15.30"), and the instants it starts
    /// and ends (UTC, ISO 8601) for the script that tells upcoming from past.
    var when: String?
    var startInstant: String?
    var endInstant: String?
    /// For `<time datetime>`: the day alone, or the local time with its UTC offset.
    var startDatetime: String?

    func child(named name: String) -> Any? {
        switch name {
        case "number": present(number)
        case "status": present(status)
        case "date": present(date)
        case "date_iso": present(dateISO)
        case "goal_class": present(goal?.className)
        case "position": present(goal?.position)
        case "kind_label": present(kindLabel)
        case "when": present(when)
        case "start_instant": present(startInstant)
        case "end_instant": present(endInstant)
        case "start_datetime": present(startDatetime)
        default: nil
        }
    }
}

/// A document's file as a link shows it: where it is and what a reader downloads.
struct FileView: MustacheParent, Sendable {
    var href: String
    /// "PDF, 240 kB": format and size, as the link text must say.
    let label: String
    /// The language of the file's text when it is not the page's, in words.
    let languageName: String?
    let languageCode: String?

    func child(named name: String) -> Any? {
        switch name {
        case "href": href
        case "label": label
        case "language_name": present(languageName)
        case "language_code": present(languageCode)
        default: nil
        }
    }
}

/// A link to an entry as lists show it.
struct LinkView: MustacheParent, Sendable {
    let id: String
    let title: String
    var href: String
    let summary: String?
    /// Set when the title is in another language than the page (a missing translation).
    let textLanguage: String?
    let facts: EntryFacts
    /// Parties only: other links do not have the name at all.
    let sector: String??
    /// Documents with a file.
    var file: FileView? = nil
    /// Events: where, in the page's language.
    var place: String? = nil
    /// For tables, breadcrumbs and charts: `short_title`, else the title.
    var shortTitle: String? = nil
    /// Goals: how many actions the editors link to them.
    var actionCount: Int? = nil
    var actionCountLabel: String? = nil
    /// Where `{{{item.<name>}}}` is drawn and kept; nil when the theme has no item templates.
    var items: ItemDrawer? = nil

    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "href": href
        case "summary": present(summary)
        case "text_lang": present(textLanguage)
        case "sector": sector.map(present)
        case "file": present(file)
        case "place": present(place)
        case "short_title": shortTitle ?? title
        case "action_count": present(actionCount)
        case "action_count_label": present(actionCountLabel)
        case "item": items.map { ItemFragments(view: self, drawer: $0) }
        default: facts.child(named: name)
        }
    }
}

/// A list as the templates take it: `{{#links}}` to loop, `{{#empty}}` for none.
struct ListView: MustacheParent, Sendable {
    let links: [LinkView]

    func child(named name: String) -> Any? {
        switch name {
        case "links": links
        case "empty": links.isEmpty
        default: nil
        }
    }
}

/// A label and where it leads: breadcrumbs, the sections on the search page.
struct LabelledLink: MustacheParent, Sendable {
    let label: String
    let href: String

    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "href": href
        default: nil
        }
    }
}

/// An item of the main menu.
struct NavItem: MustacheParent, Sendable {
    let label: String
    let href: String
    let current: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "href": href
        case "current": current
        default: nil
        }
    }
}

/// The page in another language: the head's alternates and the language switcher.
struct AlternateView: MustacheParent, Sendable {
    let lang: String
    let name: String
    let href: String
    let url: String?

    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "name": self.name
        case "href": href
        case "url": present(url)
        default: nil
        }
    }
}

/// `site.*`: the site's own words in the page's language.
struct SiteView: MustacheParent, Sendable {
    let title: String
    let strategy: String?
    let description: String?
    let publisher: String?
    let contactEmail: String?
    var organisation: String? = nil
    var address: String? = nil
    var phone: String? = nil

    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "strategy": present(strategy)
        case "description": present(description)
        case "publisher": present(publisher)
        case "contact_email": present(contactEmail)
        case "organisation": present(organisation)
        case "address": present(address)
        case "phone": present(phone)
        case "phone_href": present(phone.map { "tel:" + $0.filter { $0.isNumber || $0 == "+" } })
        default: nil
        }
    }
}

/// `t.*`: the theme's strings of one language, as its YAML nests them.
struct StringTree: MustacheParent, Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case list([Node])
        case tree(StringTree)

        var value: Any {
            switch self {
            case .text(let text): text
            case .list(let nodes): nodes.map(\.value)
            case .tree(let tree): tree
            }
        }
    }

    let values: [String: Node]

    /// From a strings file as YAML composed it: scalars are text, sequences lists,
    /// mappings trees (an alias counts as empty text; a key that is not a scalar is skipped).
    init(_ mapping: Yams.Node.Mapping) {
        func node(_ yaml: Yams.Node) -> Node {
            switch yaml {
            case .scalar(let scalar): .text(scalar.string)
            case .sequence(let sequence): .list(sequence.map(node))
            case .mapping(let mapping): .tree(StringTree(mapping))
            case .alias: .text("")
            }
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping { if let name = key.scalar?.string { values[name] = node(value) } }
        self.values = values
    }

    init() { values = [:] }

    func child(named name: String) -> Any? {
        values[name]?.value
    }

    /// What stands at a dotted key (`nav.home`), or nil.
    func node(_ dotted: String) -> Node? {
        var found: Node? = .tree(self)
        for part in dotted.split(separator: ".") {
            guard case .tree(let tree)? = found else { return nil }
            found = tree.values[String(part)]
        }
        return found
    }

    /// The text at a dotted key, or nil.
    func text(_ dotted: String) -> String? {
        if case .text(let text)? = node(dotted) { return text }
        return nil
    }

    /// Every dotted key that leads to text or a list, sorted.
    func leafKeys(prefix: String = "") -> [String] {
        values.keys.sorted().flatMap { key -> [String] in
            if case .tree(let sub)? = values[key] { return sub.leafKeys(prefix: prefix + key + ".") }
            return [prefix + key]
        }
    }
}

/// `cached.*`: the cached templates' output for this page's section.
struct CachedFragments: MustacheParent, Sendable {
    let html: [String: String]

    func child(named name: String) -> Any? {
        html[name]
    }
}

/// Records the names a template asked for that no view provides. swift-mustache renders
/// those as empty; the build reports them instead of shipping a blank.
final class MissRecorder {
    var misses: Set<String> = []
}

extension MustacheLibrary {
    /// Draws a template that is not a page's (a cached part, an item, the feed, the
    /// sitemap); the names no view has go to `misses`, reported with the pages' after the render.
    func render(_ view: any MustacheParent, withTemplate template: String, misses: Locked<Set<TemplateMiss>>) -> String {
        let recorder = MissRecorder()
        let text = render(Strict(view: view, recorder: recorder), withTemplate: template) ?? ""
        if !recorder.misses.isEmpty {
            misses.withLock { $0.formUnion(recorder.misses.map { TemplateMiss(template: template, name: $0) }) }
        }
        return text
    }
}

/// One name a template asked for and no view provided.
struct TemplateMiss: Hashable, Comparable, Sendable {
    let template: String
    let name: String

    static func < (a: TemplateMiss, b: TemplateMiss) -> Bool {
        (a.template, a.name) < (b.template, b.name)
    }
}

/// The page root and the nodes reached only by dotted names record the names they lack:
/// lookups climb from the innermost section to the root, and the root is asked last.
/// Made per page render on one thread, so the recorder needs no lock.
struct Strict: MustacheParent {
    let view: any MustacheParent
    let recorder: MissRecorder

    func child(named name: String) -> Any? {
        guard let value = view.child(named: name) else {
            recorder.misses.insert(name)
            return nil
        }
        // The nodes templates reach only by a dotted name (`t.skip`, `site.title`,
        // `cached.nav`): a name they lack is a name nothing has. Cast to each concrete type,
        // which is cheaper than to a protocol on every lookup.
        switch value {
        case let strings as StringTree: return Strict(view: strings, recorder: recorder)
        case let site as SiteView: return Strict(view: site, recorder: recorder)
        case let cached as CachedFragments: return Strict(view: cached, recorder: recorder)
        default: return value
        }
    }
}
