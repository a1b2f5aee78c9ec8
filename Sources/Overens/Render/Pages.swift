import Foundation
import Mustache

/// The view model of each kind of page: one function and one small set of fields per kind.
extension Renderer {
    func page(for job: Job) -> PageView {
        let path = linkPath(of: job)
        switch job {
        case .home(let language): return homePage(language, path: path)
        case .search(let language): return searchPage(language, path: path)
        case .notFound: return notFoundPage(path: path)
        case .section(.action, let language): return actionsPage(language, path: path)
        case .section(.event, let language): return eventsPage(language, path: path)
        case .section(let kind, let language): return sectionPage(kind, language, path: path)
        case .entry(let entry, let language): return entryPage(entry, language, path: path)
        case .redirect(_, let entry, let language, _): return redirectPage(entry, language, path: path)
        }
    }

    /// An old address of an entry's page: a page that sends the reader on (a meta refresh,
    /// which works on any static host and from disk) and says where, in case it does not.
    func redirectPage(_ entry: Entry, _ language: String, path: String) -> PageView {
        let v = views(language)
        let target = paths.page(entry, language)
        var frame = v.frame(path: path, title: entry.text(in: language).title, translationsOf: { $0 == language ? path : nil }, current: nil)
        frame.alternates = []
        frame.canonical = graph.config.baseURL.map { $0 + target }
        return PageView(template: "redirect", frame: frame, fields: RedirectFields(targetHref: Paths.relative(from: path, to: target)))
    }

    func homePage(_ language: String, path: String) -> PageView {
        let v = views(language)
        let frame = v.frame(path: path, title: graph.config.title[language] ?? "", translationsOf: { paths.home($0) }, current: "home")
        let fields = HomeFields(
            heading: graph.config.tagline[language] ?? graph.config.title[language] ?? "",
            keyFacts: keyFacts(v, from: path),
            charts: v.planCharts(from: path),
            goals: v.list(graph.all(.goal), from: path),
            principles: v.list(graph.all(.principle), from: path),
            latestNews: v.list(graph.all(.news).prefix(5), from: path),
            actionsCount: graph.all(.action).count,
            actionsHref: Paths.relative(from: path, to: paths.sectionIndex(.action, language)),
            newsHref: Paths.relative(from: path, to: paths.sectionIndex(.news, language)))
        return PageView(template: "home", frame: frame, fields: fields)
    }

    /// The home page's key facts, counted from content: since when, and how many goals,
    /// actions (by status where any has one), parties, events and documents, each a link.
    func keyFacts(_ v: Views, from path: String) -> [KeyFact] {
        var facts: [KeyFact] = []
        if let since = graph.config.since { facts.append(KeyFact(value: String(since), label: v.t("home.facts.since"), href: nil)) }
        for kind in [Kind.goal, .action, .principle, .party, .event, .document] where !graph.all(kind).isEmpty {
            let count = graph.all(kind).count
            var label = v.t("counts.\(kind.rawValue).\(count == 1 ? "one" : "other")")
            if kind == .action {
                let known = Status.allCases.compactMap { status -> String? in
                    let n = graph.all(.action).filter { $0.fields.status == status }.count
                    return n == 0 ? nil : "\(n) \(v.t("status_counted.\(status.rawValue).\(n == 1 ? "one" : "other")"))"
                }
                if !known.isEmpty { label += " (" + known.joined(separator: ", ") + ")" }
            }
            facts.append(KeyFact(value: String(count), label: label, href: Paths.relative(from: path, to: paths.sectionIndex(kind, v.language))))
        }
        return facts
    }

    func searchPage(_ language: String, path: String) -> PageView {
        let v = views(language)
        var frame = v.frame(path: path, title: v.t("search.title"), translationsOf: { paths.search($0) }, current: "search")
        frame.breadcrumbs = v.crumbs([(v.t("nav.home"), paths.home(language))], from: path)
        let sections = Kind.menuSections.filter { !graph.all($0).isEmpty }.map {
            LabelledLink(label: v.t("sections.\($0.rawValue)"), href: Paths.relative(from: path, to: paths.sectionIndex($0, language)))
        }
        return PageView(template: "search", frame: frame, fields: SearchFields(sections: sections))
    }

    func notFoundPage(path: String) -> PageView {
        let language = graph.config.defaultLanguage
        let v = views(language)
        var frame = v.frame(path: path, title: v.t("not_found.title"), translationsOf: { $0 == language ? "404.html" : nil }, current: nil)
        frame.canonical = nil
        frame.alternates = []
        let homes = graph.config.languages.dropFirst().map {
            OtherHome(lang: $0, name: theme.string($0, "language_name"), label: theme.string($0, "not_found.home"), href: Paths.relative(from: path, to: paths.home($0)))
        }
        return PageView(template: "404", frame: frame, fields: NotFoundFields(otherHomes: homes))
    }

    /// The frame and fields every section index has.
    private func sectionFrame(_ kind: Kind, _ v: Views, path: String) -> (FrameView, SectionFields) {
        let language = v.language
        var frame = v.frame(path: path, title: v.t("sections.\(kind.rawValue)"), translationsOf: { paths.sectionIndex(kind, $0) }, current: kind.rawValue)
        frame.breadcrumbs = v.crumbs([(v.t("nav.home"), paths.home(language))], from: path)
        let entries = kind == .party ? v.partiesInOrder() : graph.all(kind)
        var fields = SectionFields(kind: kind.rawValue, intro: v.t("intro.\(kind.rawValue)"), groups: nil, items: v.list(entries, from: path))
        if kind == .goal { fields.charts = v.actionsPerGoalChart(from: path).map { [$0] } ?? [] }
        if kind == .action { fields.charts = v.planCharts(from: path) }
        if kind == .party {
            // Parties whose sector no source gives come last, under their own heading.
            let sectors: [Sector?] = Sector.allCases + [nil]
            fields.groups = sectors.map { sector in
                ListGroup(label: v.t("sectors.\(sector?.rawValue ?? "unstated")"),
                          items: v.list(entries.filter { $0.fields.sector == sector }, from: path))
            }.filter { !$0.items.links.isEmpty }
        } else if kind == .document {
            // By kind, newest first within each (the graph's order).
            fields.groups = DocumentKind.allCases.map { documentKind in
                ListGroup(label: v.t("document_kinds_plural.\(documentKind.rawValue)"),
                          items: v.list(entries.filter { $0.fields.documentKind == documentKind }, from: path))
            }.filter { !$0.items.links.isEmpty }
        }
        return (frame, fields)
    }

    func sectionPage(_ kind: Kind, _ language: String, path: String) -> PageView {
        let (frame, fields) = sectionFrame(kind, views(language), path: path)
        return PageView(template: "section", frame: frame, fields: fields)
    }

    /// The calendar: every event, latest first, each with its instants for the script.
    func eventsPage(_ language: String, path: String) -> PageView {
        let (frame, section) = sectionFrame(.event, views(language), path: path)
        return PageView(template: "events", frame: frame,
                        fields: EventsFields(section: section, calendarHref: Paths.relative(from: path, to: paths.calendar(language))))
    }

    /// All actions against all goals: the table.
    func actionsPage(_ language: String, path: String) -> PageView {
        let v = views(language)
        let (frame, section) = sectionFrame(.action, v, path: path)
        let goals = graph.all(.goal)
        let goalLinks = goals.map { v.link($0, from: path) }
        // A cell is its goal's link and whether the row serves it: two per goal, shared by
        // every row (the table has actions × goals cells).
        let cells = [false, true].map { yes in goalLinks.map { GoalCell(link: $0, yes: yes) } }
        let rows = graph.all(.action).map { action in
            let served = Set(action.fields.goals.map(\.id))
            return ActionRow(link: v.link(action, from: path), cells: goals.indices.map { cells[served.contains(goals[$0].id) ? 1 : 0][$0] })
        }
        return PageView(template: "actions", frame: frame, fields: ActionsFields(section: section, goals: goalLinks, rows: rows))
    }

    func entryPage(_ entry: Entry, _ language: String, path: String) -> PageView {
        let v = views(language)
        let text = entry.text(in: language)
        var frame = v.frame(path: path, title: text.title, translationsOf: { other in paths.page(entry, other) }, current: entry.kind == .page ? "page:\(entry.id)" : entry.kind.rawValue)
        var fields = EntryFields(id: entry.id, facts: v.facts(entry))
        frame.isDraft = entry.translations[entry.primaryLanguage]?.draft == true || entry.translations[language]?.draft == true
        if entry.translations[language] == nil {
            frame.isFallback = true
            frame.contentLanguage = text.language
            fields.fallbackLanguageName = theme.string(language, "languages.\(text.language)")
        }
        var crumbs = [(v.t("nav.home"), paths.home(language))]
        if entry.kind != .page { crumbs.append((v.t("sections.\(entry.kind.rawValue)"), paths.sectionIndex(entry.kind, language))) }
        frame.breadcrumbs = v.crumbs(crumbs, from: path)
        frame.summary = text.summary
        frame.crumbTitle = text.shortTitle
        frame.body = bodyHTML(entry, text, language: language, pagePath: path) { Paths.relative(from: path, to: $0) }
        if let name = entry.fields.image?.path, let image = media.images[Media.key(name)] {
            fields.image = figure(image, alt: text.imageAlt ?? "", caption: nil, language: language, from: path, lazy: false)
        }
        if let image = shareImage(of: entry, language: language), let base = graph.config.baseURL,
           let large = image.processed.variants.last(where: { $0.format == image.processed.format }) {
            frame.shareImage = base + image.outputPath(large)
        }
        frame.shareType = "article"
        func related(_ kind: Kind, _ ids: [String]) -> ListView { ListView(links: v.links(kind, ids, from: path)) }
        let f = entry.fields
        fields.related["sources"] = related(.document, f.sources.map(\.id))
        switch entry.kind {
        case .action:
            fields.related["goals"] = related(.goal, f.goals.map(\.id))
            fields.related["parties"] = v.list(v.collated(f.parties.compactMap { graph.entry(.party, $0.id) }), from: path)
            fields.related["news"] = related(.news, graph.newsByAction[entry.id] ?? [])
            fields.related["documents"] = related(.document, graph.documentsByAction[entry.id] ?? [])
            fields.related["events"] = related(.event, graph.eventsByAction[entry.id] ?? [])
        case .goal:
            fields.related["actions"] = related(.action, graph.actionsByGoal[entry.id] ?? [])
            fields.related["news"] = related(.news, graph.newsByGoal[entry.id] ?? [])
            fields.related["documents"] = related(.document, graph.documentsByGoal[entry.id] ?? [])
            fields.related["events"] = related(.event, graph.eventsByGoal[entry.id] ?? [])
        case .party:
            // Sector and year joined, each only where the content gives it.
            let kicker = [f.sector.map { v.t("sector.\($0.rawValue)") }, f.joined.map { "\(v.t("joined")) \($0)" }].compactMap { $0 }
            fields.party = PartyFacts(kicker: kicker.isEmpty ? nil : kicker.joined(separator: " · "), website: f.website)
            fields.related["actions"] = related(.action, graph.actionsByParty[entry.id] ?? [])
            fields.related["news"] = related(.news, graph.newsByParty[entry.id] ?? [])
            fields.related["documents"] = related(.document, graph.documentsByParty[entry.id] ?? [])
            fields.related["events"] = related(.event, graph.eventsByParty[entry.id] ?? [])
        case .event:
            fields.related["organisers"] = v.list(v.collated(f.organisers.compactMap { graph.entry(.party, $0.id) }), from: path)
            fields.related["actions"] = related(.action, f.actions.map(\.id))
            fields.related["goals"] = related(.goal, f.goals.map(\.id))
            fields.event = EventFacts(place: text.place, online: f.online, registration: f.registration,
                                      calendarHref: Paths.relative(from: path, to: paths.eventCalendar(entry, language)))
        case .news, .document:
            fields.related["actions"] = related(.action, f.actions.map(\.id))
            fields.related["goals"] = related(.goal, f.goals.map(\.id))
            fields.related["parties"] = related(.party, f.parties.map(\.id))
            if entry.kind == .document {
                fields.file = v.file(of: entry, from: path)
                let citing = (graph.citations[entry.id] ?? []).compactMap { graph.entry($0.kind, $0.id) }.map { v.link($0, from: path) }
                fields.related["cited_by"] = ListView(links: citing)
            }
        case .principle, .page:
            break
        }
        if entry.kind == .page {
            // Documents published only as a file may not be accessible: the law asks the
            // statement to list them, each until its entry carries the full text.
            let isStatement = entry.id == graph.config.accessibilityPage
            let fileOnly = isStatement ? graph.all(.document).filter { media.file(of: $0, in: language) != nil && !$0.text(in: language).body.hasText } : []
            fields.related["inaccessible_documents"] = v.list(fileOnly, from: path)
        }
        return PageView(template: entry.kind.rawValue, frame: frame, fields: fields)
    }

    /// An entry's text as HTML for a page in `language`: content links point at their
    /// pages, file links at the copies (their text saying format and size), local links
    /// at what they named from the text's own page. `href` makes a site path a link.
    func bodyHTML(_ entry: Entry, _ text: Translation, language: String, pagePath: String, href: (String) -> String) -> String {
        let v = views(language)
        return text.body.html { link, slot in
            switch (link.target, slot) {
            case (.entry(let kind, let id, let fragment), .target):
                return graph.entry(kind, id).map { href(paths.page($0, language) + fragment) }
            case (.file(let name), .target):
                return media.files[Media.key(name)].map { href($0.outputPath) }
            case (.file(let name), .suffix):
                return media.files[Media.key(name)].map { " (" + Escape.html(v.fileLabel($0)) + ")" }
            case (.local(let url), .target):
                return localTarget(url, from: paths.page(entry, text.language)).map { href($0.path) + $0.rest }
            case (.image(let name), .element):
                return media.images[Media.key(name)].map { figure($0, alt: link.alt, caption: link.title, language: language, from: pagePath) }
            default:
                return nil
            }
        }
    }

    /// A path written in Markdown, from the page its text was written for, as a site path
    /// and what follows it (`?query#fragment`); nil when it climbs above the site.
    func localTarget(_ url: String, from page: String) -> (path: String, rest: String)? {
        let end = url.firstIndex(where: { $0 == "#" || $0 == "?" }) ?? url.endIndex
        let written = String(url[..<end]).removingPercentEncoding ?? String(url[..<end])
        var parts = url.hasPrefix("/") ? [] : Paths.folder(of: page).split(separator: "/").map(String.init)
        for part in written.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if parts.isEmpty { return nil } else { parts.removeLast() }
            default: parts.append(String(part))
            }
        }
        if written.hasSuffix("/") || written.isEmpty && !url.isEmpty { parts.append("index.html") }
        return (parts.joined(separator: "/"), String(url[end...]))
    }
}

/// One of the home page's key facts: a number and what it counts, linking to the list.
struct KeyFact: MustacheParent, Sendable {
    let value: String
    let label: String
    let href: String?

    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "href": present(href)
        default: nil
        }
    }
}

struct HomeFields: PageFields {
    let heading: String
    let keyFacts: [KeyFact]
    /// Each chart the content has data for; `{{#chart}}` draws them one after another.
    let charts: [ChartView]
    let goals: ListView
    let principles: ListView
    let latestNews: ListView
    let actionsCount: Int
    let actionsHref: String
    let newsHref: String

    func field(named name: String) -> Any? {
        switch name {
        case "heading": heading
        case "key_facts": keyFacts
        case "chart": charts
        case "goals": goals
        case "principles": principles
        case "latest_news": latestNews
        case "actions_count": actionsCount
        case "actions_href": actionsHref
        case "news_href": newsHref
        case "has_news": !latestNews.links.isEmpty
        default: nil
        }
    }
}

struct SearchFields: PageFields {
    let sections: [LabelledLink]

    func field(named name: String) -> Any? {
        name == "sections" ? sections : nil
    }
}

/// The start page of each other language, from the 404 page.
struct OtherHome: MustacheParent, Sendable {
    let lang: String
    let name: String
    let label: String
    let href: String

    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "name": self.name
        case "label": label
        case "href": href
        default: nil
        }
    }
}

struct NotFoundFields: PageFields {
    let otherHomes: [OtherHome]

    func field(named name: String) -> Any? {
        name == "other_homes" ? otherHomes : nil
    }
}

/// A headed part of a section's index: parties of one sector, documents of one kind.
struct ListGroup: MustacheParent, Sendable {
    let label: String
    let items: ListView

    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "items": items
        default: nil
        }
    }
}

struct SectionFields: PageFields {
    let kind: String
    let intro: String
    /// Parties only, grouped by sector; other sections list `items` alone.
    var groups: [ListGroup]?
    let items: ListView
    /// Goals and actions: how many actions serve each goal (and, for actions, by status and
    /// party where the content says).
    var charts: [ChartView] = []

    func field(named name: String) -> Any? {
        switch name {
        case "kind": kind
        case "intro": intro
        case "groups": present(groups)
        case "items": items
        case "chart": charts
        default: nil
        }
    }
}

/// One goal's cell in an action's row of the table. A class: each row holds its cells
/// by reference, not a copy of the goal's link per cell (the table has actions × goals).
final class GoalCell: MustacheParent, Sendable {
    let link: LinkView
    let yes: Bool

    init(link: LinkView, yes: Bool) {
        self.link = link
        self.yes = yes
    }

    func child(named name: String) -> Any? {
        switch name {
        case "yes": yes
        // The same for every action's row: drawn once per goal and answer.
        case "item": link.items.map { ItemFragments(view: self, drawer: $0, variant: yes ? "yes" : "no") }
        default: link.child(named: name)
        }
    }
}

/// One action's row of the table: its link and a cell per goal.
struct ActionRow: MustacheParent, Sendable {
    let link: LinkView
    let cells: [GoalCell]

    func child(named name: String) -> Any? {
        name == "cells" ? cells : link.child(named: name)
    }
}

struct ActionsFields: PageFields {
    let section: SectionFields
    let goals: [LinkView]
    let rows: [ActionRow]

    func field(named name: String) -> Any? {
        switch name {
        case "goals": goals
        case "rows": rows
        default: section.field(named: name)
        }
    }
}

struct RedirectFields: PageFields {
    let targetHref: String

    func field(named name: String) -> Any? {
        name == "target_href" ? targetHref : nil
    }
}

/// An event's own facts besides its time.
struct EventFacts: Sendable {
    let place: String?
    let online: String?
    let registration: String?
    let calendarHref: String
}

struct EventsFields: PageFields {
    let section: SectionFields
    let calendarHref: String

    func field(named name: String) -> Any? {
        name == "calendar_href" ? calendarHref : section.field(named: name)
    }
}

/// A party's own line: sector and year joined, and its website.
struct PartyFacts: Sendable {
    let kicker: String?
    let website: String?
}

/// An item's page: its facts and the lists of related items its kind has.
struct EntryFields: PageFields {
    let id: String
    let facts: EntryFacts
    /// Set when the page shows another language's text.
    var fallbackLanguageName: String?
    var party: PartyFacts?
    /// Documents: the file to download.
    var file: FileView?
    /// News and parties: the photo or logo, drawn.
    var image: String?
    /// Events: where, online, sign-up and the calendar file.
    var event: EventFacts?
    /// `goals`, `actions`, `parties`, `news`, `documents`, `sources`: those the kind has.
    var related: [String: ListView] = [:]

    func field(named name: String) -> Any? {
        switch name {
        case "id": return id
        case "fallback_language_name": return fallbackLanguageName
        case "kicker": return party.map { present($0.kicker) }
        case "website": return party.map { present($0.website) }
        case "file": return present(file)
        case "image": return present(image)
        case "has_mentions": return ["actions", "goals", "parties"].contains { related[$0]?.links.isEmpty == false }
        case "place": return event.map { present($0.place) }
        case "online": return event.map { present($0.online) }
        case "registration": return event.map { present($0.registration) }
        case "calendar_href": return event?.calendarHref
        default: return related[name] ?? facts.child(named: name)
        }
    }
}
