import Foundation

/// The view model of each kind of page.
extension Renderer {
    func view(for job: Job, recorder: MissRecorder) -> (template: String, view: [String: Any]) {
        let path = linkPath(of: job)
        switch job {
        case .home(let language):
            let v = views(language)
            var view = v.frame(path: path, title: graph.config.title[language] ?? "", translationsOf: { paths.home($0) }, current: "home")
            view["goals"] = v.list(graph.all(.goal).map { v.link($0, from: path) })
            view["principles"] = v.list(graph.all(.principle).map { v.link($0, from: path) })
            view["latest_news"] = v.list(graph.all(.news).prefix(5).map { v.link($0, from: path) })
            view["actions_count"] = graph.all(.action).count
            view["actions_href"] = Paths.relative(from: path, to: paths.sectionIndex(.action, language))
            view["news_href"] = Paths.relative(from: path, to: paths.sectionIndex(.news, language))
            view["has_news"] = !graph.all(.news).isEmpty
            return ("home", strictRoot(view, recorder))

        case .search(let language):
            let v = views(language)
            var view = v.frame(path: path, title: v.t("search.title"), translationsOf: { paths.search($0) }, current: "search")
            view["sections"] = [Kind.goal, .action, .principle, .party, .news].filter { !graph.all($0).isEmpty }.map {
                ["label": v.t("sections.\($0.rawValue)"), "href": Paths.relative(from: path, to: paths.sectionIndex($0, language))]
            }
            view["has_breadcrumbs"] = true
            view["breadcrumbs"] = v.crumbs([(v.t("nav.home"), paths.home(language))], from: path)
            return ("search", strictRoot(view, recorder))

        case .notFound:
            let language = graph.config.defaultLanguage
            let v = views(language)
            var view = v.frame(path: path, title: v.t("not_found.title"), translationsOf: { $0 == language ? "404.html" : nil }, current: nil)
            view["canonical"] = false
            view["alternates"] = [] as [Any]
            view["other_homes"] = graph.config.languages.dropFirst().map { ["lang": $0, "name": theme.string($0, "language_name"), "label": theme.string($0, "not_found.home"), "href": Paths.relative(from: path, to: paths.home($0))] }
            return ("404", strictRoot(view, recorder))

        case .section(let kind, let language):
            let v = views(language)
            let heading = v.t("sections.\(kind.rawValue)")
            var view = v.frame(path: path, title: heading, translationsOf: { paths.sectionIndex(kind, $0) }, current: kind.rawValue)
            view["has_breadcrumbs"] = true
            view["breadcrumbs"] = v.crumbs([(v.t("nav.home"), paths.home(language))], from: path)
            view["kind"] = kind.rawValue
            view["intro"] = v.t("intro.\(kind.rawValue)")
            let entries = kind == .party ? v.collated(graph.all(kind)) : graph.all(kind)
            view["groups"] = false
            view["items"] = v.list(entries.map { v.link($0, from: path) })
            if kind == .party {
                // Parties whose sector no source gives come last, under their own heading.
                let sectors: [Sector?] = Sector.allCases + [nil]
                view["groups"] = sectors.map { sector in
                    ["label": v.t("sectors.\(sector?.rawValue ?? "unstated")"),
                     "items": v.list(entries.filter { $0.fields.sector == sector }.map { v.link($0, from: path) })] as [String: Any]
                }.filter { !((($0["items"] as? [String: Any])?["empty"] as? Bool) ?? true) }
            }
            if kind == .action {
                let goals = graph.all(.goal)
                let goalLinks = goals.map { v.link($0, from: path) }
                view["goals"] = goalLinks
                // A cell is its goal's link and whether the row serves it: two per goal,
                // shared by every row (the table has actions × goals cells).
                let cells = [false, true].map { yes in goalLinks.map { link in link.merging(["yes": yes]) { _, new in new } } }
                view["rows"] = graph.all(.action).map { action -> [String: Any] in
                    let served = Set(action.fields.goals.map(\.id))
                    var row = v.link(action, from: path)
                    row["cells"] = goals.indices.map { cells[served.contains(goals[$0].id) ? 1 : 0][$0] }
                    return row
                }
                return ("actions", strictRoot(view, recorder))
            }
            return ("section", strictRoot(view, recorder))

        case .entry(let entry, let language):
            let v = views(language)
            let text = entry.text(in: language)
            var view = v.frame(path: path, title: text.title, translationsOf: { other in paths.page(entry, other) }, current: entry.kind == .page ? "page:\(entry.id)" : entry.kind.rawValue)
            if entry.translations[language] == nil {
                view["is_fallback"] = true
                view["content_lang"] = text.language
                view["fallback_language_name"] = theme.string(language, "languages.\(text.language)")
            }
            var crumbs = [(v.t("nav.home"), paths.home(language))]
            if entry.kind != .page { crumbs.append((v.t("sections.\(entry.kind.rawValue)"), paths.sectionIndex(entry.kind, language))) }
            view["has_breadcrumbs"] = true
            view["breadcrumbs"] = v.crumbs(crumbs, from: path)
            view["summary"] = text.summary ?? false
            view["body"] = text.body.html { url in self.resolveLink(url, language: language, from: path) }
            view["id"] = entry.id
            let fields = entry.fields
            view["number"] = fields.number ?? false
            view["status"] = v.status(fields.status)
            view["date"] = fields.date.map(v.l10n.format) ?? false
            view["date_iso"] = fields.date?.description ?? false
            view["goal_class"] = false
            view["position"] = false
            if entry.kind == .goal, let position = goalPosition[entry.id] {
                view["goal_class"] = "goal-\((position - 1) % 8 + 1)"
                view["position"] = position
            }
            func related(_ kind: Kind, _ ids: [String]) -> [String: Any] { v.list(v.links(kind, ids, from: path)) }
            switch entry.kind {
            case .action:
                view["goals"] = related(.goal, fields.goals.map(\.id))
                view["parties"] = v.list(v.collated(fields.parties.compactMap { graph.entry(.party, $0.id) }).map { v.link($0, from: path) })
                view["news"] = related(.news, graph.newsByAction[entry.id] ?? [])
            case .goal:
                view["actions"] = related(.action, graph.actionsByGoal[entry.id] ?? [])
                view["news"] = related(.news, graph.newsByGoal[entry.id] ?? [])
            case .party:
                // Sector and year joined, each only where the content gives it.
                let kicker = [fields.sector.map { v.t("sector.\($0.rawValue)") }, fields.joined.map { "\(v.t("joined")) \($0)" }].compactMap { $0 }
                view["kicker"] = kicker.isEmpty ? false : kicker.joined(separator: " · ")
                view["website"] = fields.website ?? false
                view["actions"] = related(.action, graph.actionsByParty[entry.id] ?? [])
                view["news"] = related(.news, graph.newsByParty[entry.id] ?? [])
            case .news:
                view["actions"] = related(.action, fields.actions.map(\.id))
                view["goals"] = related(.goal, fields.goals.map(\.id))
                view["parties"] = related(.party, fields.parties.map(\.id))
            case .principle, .page:
                break
            }
            return (entry.kind.rawValue, strictRoot(view, recorder))
        }
    }

    /// `goal:ID` and its kin become a relative link to that page in this language (the
    /// page exists in every language, in the default language's words when untranslated).
    func resolveLink(_ url: String, language: String, from path: String) -> String? {
        linkTarget(url, language: language).map { Paths.relative(from: path, to: $0) }
    }

    /// The site-relative file a content link points to, with its fragment.
    func linkTarget(_ url: String, language: String) -> String? {
        guard let link = ContentParser.contentLink(url), let target = graph.entry(link.kind, link.id) else { return nil }
        return paths.page(target, language) + link.fragment
    }

    /// Nested dictionaries become nodes; the root and dotted-only nodes record misses.
    func strictRoot(_ view: [String: Any], _ recorder: MissRecorder) -> [String: Any] {
        func strict(_ values: [String: Any]) -> ViewNode {
            ViewNode(values.mapValues { ($0 as? [String: Any]).map(strict) ?? $0 }, strictWith: recorder)
        }
        var view = view
        if let strings = view["t"] as? ViewNode { view["t"] = strict(strings.values) }
        if let site = (view["site"] as? ViewNode)?.values ?? view["site"] as? [String: Any] { view["site"] = strict(site) }
        return view
    }
}
