import Foundation

/// Builds the plain view models the templates see, from the site graph. One `Views` per
/// language; every method takes the path of the page being written, since every link is
/// relative to it.
struct Views {
    let graph: SiteGraph
    let theme: Theme
    let paths: Paths
    let language: String
    let l10n: Localization
    let goalPosition: [String: Int]
    /// Views shared by many pages (an entry's link seen from one folder; the menu and the
    /// footer links of a folder), made once per render.
    let memo: Memo

    var config: SiteConfig { graph.config }
    func t(_ key: String) -> String { theme.string(language, key) }

    /// A link to an entry, with what lists show about it. `lang` is set when the words
    /// shown are in another language than the page (a missing translation).
    func link(_ entry: Entry, from path: String) -> [String: Any] {
        memo.value("link\u{0}\(language)\u{0}\(Paths.folder(of: path))\u{0}\(entry.kind)\u{0}\(entry.id)") { makeLink(entry, from: path) } as! [String: Any]
    }

    private func makeLink(_ entry: Entry, from path: String) -> [String: Any] {
        let text = entry.text(in: language)
        var view: [String: Any] = [
            "id": entry.id,
            "title": text.title,
            "href": Paths.relative(from: path, to: paths.page(entry, language)),
            "summary": text.summary ?? false,
            "text_lang": text.language == language ? false : text.language,
            "number": entry.fields.number ?? false,
            "date": entry.fields.date.map(l10n.format) ?? false,
            "date_iso": entry.fields.date?.description ?? false,
            "status": status(entry.fields.status),
            "goal_class": false,
            "position": false,
        ]
        if entry.kind == .goal, let position = goalPosition[entry.id] {
            view["goal_class"] = "goal-\((position - 1) % 8 + 1)"
            view["position"] = position
        }
        if entry.kind == .party { view["sector"] = entry.fields.sector.map { t("sector.\($0.rawValue)") } ?? false }
        return view
    }

    func status(_ status: Status?) -> Any {
        guard let status else { return false }
        return ["key": status.rawValue, "label": t("status.\(status.rawValue)")]
    }

    func links(_ kind: Kind, _ ids: [String], from path: String) -> [[String: Any]] {
        ids.compactMap { graph.entry(kind, $0) }.map { link($0, from: path) }
    }

    func collated(_ entries: [Entry]) -> [Entry] {
        l10n.sorted(entries) { $0.text(in: language).title }
    }

    /// What every page has: language, site, navigation, switcher, head links.
    func frame(path: String, title: String, translationsOf target: (String) -> String?, current: String?) -> [String: Any] {
        let root = Paths.toRoot(from: path)
        let (nav, footerPages) = memo.value("frame\u{0}\(language)\u{0}\(Paths.folder(of: path))\u{0}\(current ?? "")") {
            (menu(from: path, current: current), graph.all(.page).map { link($0, from: path) })
        } as! ([[String: Any]], [[String: Any]])

        var alternates: [[String: Any]] = []
        var switcher: [[String: Any]] = []
        for other in config.languages {
            guard let page = target(other) else { continue }
            let entry: [String: Any] = [
                "lang": other,
                "name": theme.string(other, "language_name"),
                "href": Paths.relative(from: path, to: page),
                "url": config.baseURL.map { $0 + page } ?? false,
            ]
            alternates.append(entry)
            if other != language { switcher.append(entry) }
        }
        return [
            "lang": language,
            "t": ViewNode(theme.strings[language] ?? [:]),
            "site": [
                "title": config.title[language] ?? "",
                "strategy": config.strategy[language] ?? false,
                "description": config.description[language] ?? false,
                "publisher": config.publisher[language] ?? false,
                "contact_email": config.contactEmail ?? false,
            ] as [String: Any],
            "page_title": title,
            "root": root,
            "assets": root + "assets/",
            "home_href": Paths.relative(from: path, to: paths.home(language)),
            "feed_href": Paths.relative(from: path, to: paths.feed(language)),
            "search_href": Paths.relative(from: path, to: paths.search(language)),
            "search_index_href": Paths.relative(from: path, to: paths.searchIndex(language)),
            "data_href": root + "data/actions.json",
            "canonical": config.baseURL.map { $0 + path } ?? false,
            "alternates": alternates,
            "translations": switcher,
            "has_translations": !switcher.isEmpty,
            "nav": nav,
            "footer_pages": footerPages,
            "breadcrumbs": [] as [Any],
            "has_breadcrumbs": false,
            "content_lang": language,
            "is_fallback": false,
            "summary": false,
            "body": "",
        ]
    }

    /// The main menu as seen from `path`: home, the sections, then pages by `menu`.
    private func menu(from path: String, current: String?) -> [[String: Any]] {
        var nav: [[String: Any]] = [["label": t("nav.home"), "href": Paths.relative(from: path, to: paths.home(language)), "current": current == "home"]]
        for kind in [Kind.goal, .action, .principle, .party, .news] where !graph.all(kind).isEmpty {
            nav.append(["label": t("sections.\(kind.rawValue)"), "href": Paths.relative(from: path, to: paths.sectionIndex(kind, language)), "current": current == kind.rawValue])
        }
        // `menu` orders pages in the main menu; the default language's file decides.
        let menuPages = graph.all(.page).compactMap { page in page.text(in: page.primaryLanguage).menu.map { (page, $0) } }
            .filter { $0.1 > 0 }.sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }.map(\.0)
        for page in menuPages {
            nav.append(["label": page.text(in: language).title, "href": Paths.relative(from: path, to: paths.page(page, language)), "current": current == "page:\(page.id)"])
        }
        return nav
    }

    /// A list as the templates take it: `{{#links}}` to loop, `{{#empty}}` for none.
    func list(_ links: [[String: Any]]) -> [String: Any] {
        ["links": links, "empty": links.isEmpty]
    }

    func crumbs(_ items: [(String, String)], from path: String) -> [[String: Any]] {
        items.map { ["label": $0.0, "href": Paths.relative(from: path, to: $0.1)] }
    }
}

/// Values made once and shared by the render threads; a new render starts a new memo.
// Unchecked: its values are untyped views (`Any`), each made once and never changed; the lock guards the table.
final class Memo: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Any] = [:]

    func value(_ key: String, make: () -> Any) -> Any {
        lock.lock()
        if let found = values[key] {
            lock.unlock()
            return found
        }
        lock.unlock()
        // Made outside the lock (making a value may ask for others); two threads may both
        // make it, and the values are equal.
        let made = make()
        lock.lock()
        defer { lock.unlock() }
        if let found = values[key] { return found }
        values[key] = made
        return made
    }
}
