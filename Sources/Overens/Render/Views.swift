import Foundation
import Mustache

/// Text a lambda gives that is already HTML. Not a String: swift-mustache parses a String
/// a lambda returns as a new template, on every page.
struct Rendered: CustomStringConvertible {
    let html: String
    var description: String { html }
}

/// What every page has that depends only on its language, its folder and the current menu
/// item: what a cached template may use (`Renderer.sharedFrameKeys`). Made once per such
/// triple and shared by the render threads.
struct SharedFrame: MustacheParent, Sendable {
    let lang: String
    let strings: StringTree
    let site: SiteView
    let root: String
    let homeHref: String
    let feedHref: String
    let searchHref: String
    /// Made on first use: only the search page asks, and the index's name needs the index.
    let searchIndexHref: @Sendable () -> String
    let assetNames: [String: String]
    let nav: [NavItem]
    let footerPages: [LinkView]

    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "t": strings
        case "site": site
        case "root": root
        case "assets": root + "assets/"
        case TemplateCheck.assetLambda: MustacheLambda { [root, assetNames] name in
            let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            return Rendered(html: Escape.html(root + "assets/" + (assetNames[name] ?? name)))
        }
        case "home_href": homeHref
        case "feed_href": feedHref
        case "search_href": searchHref
        case "search_index_href": searchIndexHref()
        case "data_href": root + "data/actions.json"
        case "nav": nav
        case "footer_pages": footerPages
        default: nil
        }
    }
}

/// What every page has: the shared part, its title, head links, switcher and breadcrumbs,
/// and the text fields a page kind may fill in.
struct FrameView: MustacheParent, Sendable {
    let shared: SharedFrame
    let pageTitle: String
    var canonical: String?
    var alternates: [AlternateView]
    let translations: [AlternateView]
    var breadcrumbs: [LabelledLink] = []
    /// Differs from `lang` when the page shows untranslated text.
    var contentLanguage: String
    var isFallback = false
    var summary: String?
    var body = ""
    /// The page's own name in the breadcrumbs: `short_title` where there is one.
    var crumbTitle: String?
    /// The page's path from the site root: its address on paper when there is no `base_url`.
    var sitePath = ""
    /// Open Graph: the absolute URL of the image a shared link shows, and what the page is.
    var shareImage: String?
    var shareType = "website"
    /// A draft, shown by a preview or `build --drafts`: the page says so.
    var isDraft = false

    func child(named name: String) -> Any? {
        switch name {
        case "page_title": pageTitle
        case "canonical": present(canonical)
        case "alternates": alternates
        case "translations": translations
        case "has_translations": !translations.isEmpty
        case "breadcrumbs": breadcrumbs
        case "has_breadcrumbs": !breadcrumbs.isEmpty
        case "content_lang": contentLanguage
        case "is_fallback": isFallback
        case "summary": present(summary)
        case "body": body
        case "has_body": !body.isEmpty
        case "share_image": present(shareImage)
        case "share_type": shareType
        case "is_draft": isDraft
        case "crumb_title": crumbTitle ?? pageTitle
        case "page_url": canonical ?? sitePath
        case "has_share": shareImage != nil || summary != nil
        default: shared.child(named: name)
        }
    }
}

/// The names one kind of page adds to the frame; nil for a name it does not have.
protocol PageFields: Sendable {
    func field(named name: String) -> Any?
}

/// A page's whole view: the template that draws it, the frame, its kind's fields and the
/// cached templates' output.
struct PageView: MustacheParent, Sendable {
    let template: String
    var frame: FrameView
    let fields: any PageFields
    var cached: CachedFragments?

    func child(named name: String) -> Any? {
        if name == "cached" { return cached }
        return fields.field(named: name) ?? frame.child(named: name)
    }
}

/// Memo keys: what a shared view depends on.
struct LinkKey: Hashable, Sendable {
    let language: String
    let kind: Kind
    let id: String
}

struct FrameKey: Hashable, Sendable {
    let language: String
    let folder: Substring
    let current: String?
}

struct CachedKey: Hashable, Sendable {
    let language: String
    let folder: Substring
    /// The menu item marked current, if any: the only way two frames of a folder differ.
    let currentItem: Int?
}

/// The views shared by many pages, made once per render.
struct Memos: Sendable {
    let links = Memo<LinkKey, LinkView>()
    let frames = Memo<FrameKey, SharedFrame>()
    let cached = Memo<CachedKey, CachedFragments>()
    let itemContexts = Memo<ItemFolder, ItemContext>()
    let items = ItemCache()
    /// Names asked for by templates drawn outside a page (items, the feeds, the sitemap)
    /// that no view has.
    let misses = Locked<Set<TemplateMiss>>([])
    let searchIndexes = Memo<String, PendingFile>()
    /// Every party in each language's alphabetical order: the parties' list and the charts
    /// of the home and actions pages each show them all, and the locale's comparison is slow.
    let partiesInOrder = Memo<String, [Entry]>()
}

/// A file whose name is known before it is written, and whose bytes are let go once taken.
final class PendingFile: Sendable {
    let path: String
    private let data: Locked<Data?>

    init(_ file: OutputFile) {
        path = file.path
        data = Locked(file.data)
    }

    func take() -> Data? {
        data.withLock { data in
            defer { data = nil }
            return data
        }
    }
}

/// Builds the view models the templates see, from the site graph. One `Views` per
/// language; every method takes the path of the page being written, since every link is
/// relative to it.
struct Views {
    let graph: SiteGraph
    let theme: Theme
    let strings: StringTree
    let paths: Paths
    let language: String
    let l10n: Localization
    let goalPosition: [String: Int]
    let memo: Memos
    let media: Media
    let searchIndexPath: @Sendable () -> String
    /// The item templates' names, without the folder.
    let itemTemplates: Set<String>

    var config: SiteConfig { graph.config }
    func t(_ key: String) -> String { theme.string(language, key) }

    /// A link to an entry, with what lists show about it.
    func link(_ entry: Entry, from path: String, drawsItems: Bool = true) -> LinkView {
        // Kept once per entry and language, as seen from the root: kept per folder, the
        // memo held a copy for every folder that lists the entry (most of a large site's
        // memory). Only the two addresses differ from folder to folder.
        var view = memo.links.value(LinkKey(language: language, kind: entry.kind, id: entry.id)) {
            makeLink(entry)
        }
        view.href = Paths.relative(from: path, to: view.href)
        if let file = view.file { view.file?.href = Paths.relative(from: path, to: file.href) }
        if drawsItems && !itemTemplates.isEmpty { view.items = ItemDrawer(context: itemContext(path), kind: entry.kind, id: entry.id) }
        return view
    }

    /// What item templates drawn for pages in `path`'s folder share.
    private func itemContext(_ path: String) -> ItemContext {
        let folder = ItemFolder(language: language, folder: Paths.folder(of: path))
        return memo.itemContexts.value(folder) {
            // Its footer links draw no items: an item does not see them, and making them
            // would ask for this context again.
            ItemContext(frame: sharedFrame(from: path, current: nil, drawsItems: false), folder: folder, library: theme.library,
                        templates: itemTemplates, cache: memo.items, misses: memo.misses)
        }
    }

    /// The link as seen from the site's root; `link` makes its addresses relative.
    private func makeLink(_ entry: Entry) -> LinkView {
        let text = entry.text(in: language)
        return LinkView(
            id: entry.id,
            title: text.title,
            href: paths.page(entry, language),
            summary: text.summary,
            textLanguage: text.language == language ? nil : text.language,
            facts: facts(entry),
            sector: entry.kind == .party ? .some(entry.fields.sector.map { t("sector.\($0.rawValue)") }) : .none,
            file: file(of: entry, from: ""),
            place: entry.kind == .event ? text.place : nil,
            shortTitle: text.shortTitle,
            actionCount: entry.kind == .goal ? graph.actionsByGoal[entry.id]?.count ?? 0 : nil,
            actionCountLabel: entry.kind == .goal ? countLabel(graph.actionsByGoal[entry.id]?.count ?? 0, "action") : nil)
    }

    /// "9 insatser", "1 insats": the theme's `counts.<kind>.one` and `.other`.
    func countLabel(_ count: Int, _ kind: String) -> String {
        "\(count) " + t("counts.\(kind).\(count == 1 ? "one" : "other")")
    }

    /// A document's file, linked from `path`, with its format, size and language.
    func file(of entry: Entry, from path: String) -> FileView? {
        guard entry.kind == .document, let (file, fileLanguage) = media.file(of: entry, in: language) else { return nil }
        let other = fileLanguage == language ? nil : fileLanguage
        return FileView(href: Paths.relative(from: path, to: file.outputPath), label: fileLabel(file),
                        languageName: other.map { t("languages.\($0)") }, languageCode: other)
    }

    /// "PDF, 240 kB" in this language.
    func fileLabel(_ file: PublishedFile) -> String {
        file.format + ", " + FileSize.text(file.size, language: language).replacingOccurrences(of: " ", with: "\u{00A0}")
    }

    /// Number, status, date and goal colour, where the entry has them.
    func facts(_ entry: Entry) -> EntryFacts {
        let fields = entry.fields
        return EntryFacts(
            number: fields.number,
            status: fields.status.map { StatusView(key: $0.rawValue, label: t("status.\($0.rawValue)")) },
            date: fields.date.map(l10n.format),
            dateISO: fields.date?.description,
            goal: entry.kind == .goal ? goalPosition[entry.id].map(GoalMark.init) : nil,
            kindLabel: fields.documentKind.map { t("document_kinds.\($0.rawValue)") },
            when: fields.start.map { when($0, fields.end) },
            startInstant: fields.start.map { Self.iso(instant($0)) },
            endInstant: fields.start.map { Self.iso(endInstant(start: $0, end: fields.end)) },
            startDatetime: fields.start.map(datetime))
    }

    /// `2022-11-10`, or `2023-10-12T12:00+02:00` with the offset in force that day.
    func datetime(_ time: EventTime) -> String {
        guard time.hasTime else { return time.day.description }
        let offset = zone.secondsFromGMT(for: instant(time)) / 60
        return time.description + String(format: "%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 60, abs(offset) % 60)
    }

    /// "12 oktober 2023, 12.00–15.30", "10 november 2022", "10 november 2022 – 11 november 2022".
    func when(_ start: EventTime, _ end: EventTime?) -> String {
        func clock(_ minutes: Int) -> String { String(format: "%02d", minutes / 60) + t("time_separator") + String(format: "%02d", minutes % 60) }
        let day = l10n.format(start.day)
        guard let startMinutes = start.minutes else {
            guard let end, end.day != start.day else { return day }
            return day + " – " + l10n.format(end.day)
        }
        guard let end, let endMinutes = end.minutes else { return day + ", " + clock(startMinutes) }
        if end.day == start.day { return day + ", " + clock(startMinutes) + "–" + clock(endMinutes) }
        return day + ", " + clock(startMinutes) + " – " + l10n.format(end.day) + ", " + clock(endMinutes)
    }

    /// The site's zone (UTC until one is named; no time of day is written then).
    var zone: TimeZone { config.timeZone ?? TimeZone(identifier: "UTC")! }

    func instant(_ time: EventTime) -> Date { time.instant(in: zone) }

    /// When an event is over: its end, or the end of its last day when it has no time.
    func endInstant(start: EventTime, end: EventTime?) -> Date {
        let last = end ?? start
        if last.hasTime && end != nil { return instant(last) }
        return EventTime(day: EventTime.dayAfter(last.day)).instant(in: zone)
    }

    /// `2023-10-12T10:00:00Z`. Written from the UTC calendar fields: an ISO8601DateFormatter
    /// made per call cost more than the rest of an event's link.
    static func iso(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var utc = tm()
        gmtime_r(&seconds, &utc)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(utc.tm_year) + 1900, Int(utc.tm_mon) + 1, Int(utc.tm_mday),
                      Int(utc.tm_hour), Int(utc.tm_min), Int(utc.tm_sec))
    }

    func links(_ kind: Kind, _ ids: [String], from path: String) -> [LinkView] {
        ids.compactMap { graph.entry(kind, $0) }.map { link($0, from: path) }
    }

    func list(_ entries: some Sequence<Entry>, from path: String) -> ListView {
        ListView(links: entries.map { link($0, from: path) })
    }

    func collated(_ entries: [Entry]) -> [Entry] {
        l10n.sorted(entries) { $0.text(in: language).title }
    }

    /// All parties, collated: sorted once per language and render.
    func partiesInOrder() -> [Entry] {
        memo.partiesInOrder.value(language) { collated(graph.all(.party)) }
    }

    /// What every page has: language, site, navigation, switcher, head links.
    func frame(path: String, title: String, translationsOf target: (String) -> String?, current: String?) -> FrameView {
        let shared = memo.frames.value(FrameKey(language: language, folder: Paths.folder(of: path), current: current)) {
            sharedFrame(from: path, current: current)
        }
        var alternates: [AlternateView] = []
        var switcher: [AlternateView] = []
        for other in config.languages {
            guard let page = target(other) else { continue }
            let entry = AlternateView(lang: other, name: theme.string(other, "language_name"),
                                      href: Paths.relative(from: path, to: page), url: config.baseURL.map { $0 + page })
            alternates.append(entry)
            if other != language { switcher.append(entry) }
        }
        var frame = FrameView(shared: shared, pageTitle: title, canonical: config.baseURL.map { $0 + path },
                              alternates: alternates, translations: switcher, contentLanguage: language)
        frame.sitePath = path
        return frame
    }

    /// Links start from the folder, so everything here is the same for a whole folder.
    private func sharedFrame(from path: String, current: String?, drawsItems: Bool = true) -> SharedFrame {
        SharedFrame(
            lang: language,
            strings: strings,
            site: SiteView(title: config.title[language] ?? "", strategy: config.strategy[language],
                           description: config.description[language], publisher: config.publisher[language],
                           contactEmail: config.contactEmail, organisation: config.contact["organisation"]?[language],
                           address: config.contact["address"]?[language], phone: config.contact["phone"]?[language]),
            root: Paths.toRoot(from: path),
            homeHref: Paths.relative(from: path, to: paths.home(language)),
            feedHref: Paths.relative(from: path, to: paths.feed(language)),
            searchHref: Paths.relative(from: path, to: paths.search(language)),
            searchIndexHref: { [searchIndexPath] in Paths.relative(from: path, to: searchIndexPath()) },
            assetNames: theme.assetNames,
            nav: menu(from: path, current: current),
            footerPages: graph.all(.page).map { link($0, from: path, drawsItems: drawsItems) })
    }

    /// The main menu as seen from `path`: as `site.yml` orders it, else home, the sections,
    /// then pages by `menu`.
    private func menu(from path: String, current: String?) -> [NavItem] {
        if let items = config.menu {
            return items.compactMap { item in
                switch item.target {
                case .home:
                    return NavItem(label: item.label[language] ?? t("nav.home"), href: Paths.relative(from: path, to: paths.home(language)), current: current == "home")
                case .section(let kind):
                    guard !graph.all(kind).isEmpty else { return nil }
                    return NavItem(label: item.label[language] ?? t("sections.\(kind.rawValue)"), href: Paths.relative(from: path, to: paths.sectionIndex(kind, language)), current: current == kind.rawValue)
                case .page(let id):
                    guard let page = graph.entry(.page, id) else { return nil }
                    return NavItem(label: item.label[language] ?? page.text(in: language).shortTitle ?? page.text(in: language).title,
                                   href: Paths.relative(from: path, to: paths.page(page, language)), current: current == "page:\(id)")
                }
            }
        }
        var nav = [NavItem(label: t("nav.home"), href: Paths.relative(from: path, to: paths.home(language)), current: current == "home")]
        for kind in Kind.menuSections where !graph.all(kind).isEmpty {
            nav.append(NavItem(label: t("sections.\(kind.rawValue)"), href: Paths.relative(from: path, to: paths.sectionIndex(kind, language)), current: current == kind.rawValue))
        }
        // `menu` orders pages in the main menu; the default language's file decides.
        let menuPages = graph.all(.page).compactMap { page in page.text(in: page.primaryLanguage).menu.map { (page, $0) } }
            .filter { $0.1 > 0 }.sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }.map(\.0)
        for page in menuPages {
            nav.append(NavItem(label: page.text(in: language).title, href: Paths.relative(from: path, to: paths.page(page, language)), current: current == "page:\(page.id)"))
        }
        return nav
    }

    func crumbs(_ items: [(String, String)], from path: String) -> [LabelledLink] {
        items.map { LabelledLink(label: $0.0, href: Paths.relative(from: path, to: $0.1)) }
    }
}

/// Values made once and shared by the render threads; a new render starts a new memo.
final class Memo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let values = Locked<[Key: Value]>([:])

    func value(_ key: Key, make: () -> Value) -> Value {
        if let found = values.withLock({ $0[key] }) { return found }
        // Made outside the lock (making a value may ask for others); two threads may both
        // make it, and the values are equal.
        let made = make()
        return values.withLock {
            if let found = $0[key] { return found }
            $0[key] = made
            return made
        }
    }
}
