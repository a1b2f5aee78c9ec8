import Foundation

/// A file of the finished site, by its site-relative path.
public struct OutputFile: Sendable {
    public var path: String
    public var data: Data
    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }
}

/// Render stage: every page of every language through the theme, plus feeds, sitemap,
/// search index and open data. Pages render in parallel; the result is sorted by path so
/// the output never depends on thread timing.
public struct Renderer: Sendable {
    public let graph: SiteGraph
    public let theme: Theme
    public let media: Media
    let cachedTemplates: [String]
    let itemTemplates: Set<String>
    let memo = Memos()
    public let paths: Paths
    let localizations: [String: Localization]
    let goalPosition: [String: Int]
    /// `t.*` per language, made once.
    let strings: [String: StringTree]

    public init?(graph: SiteGraph, theme: Theme, media: Media = Media(), diagnostics: DiagnosticBag) {
        var folders: [String: [Kind: String]] = [:]
        var searchSlugs: [String: String] = [:]
        var localizations: [String: Localization] = [:]
        for language in graph.config.languages {
            guard theme.strings[language] != nil else { return nil }
            var map: [Kind: String] = [:]
            for kind in Kind.allCases where kind != .page {
                // Checked where it is written when the theme loads (Theme.checkGeneratorStrings).
                map[kind] = theme.string(language, "folders.\(kind.rawValue)")
            }
            folders[language] = map
            searchSlugs[language] = theme.string(language, "search_slug")
            localizations[language] = Localization(localeIdentifier: theme.string(language, "locale"), dateFormat: theme.string(language, "date_format"))
        }
        self.graph = graph
        self.theme = theme
        self.media = media
        self.cachedTemplates = theme.cachedTemplates
        self.itemTemplates = theme.itemTemplates
        self.paths = Paths(defaultLanguage: graph.config.defaultLanguage, folders: folders, searchSlugs: searchSlugs)
        self.localizations = localizations
        self.strings = theme.strings
        self.goalPosition = Dictionary(uniqueKeysWithValues: graph.all(.goal).enumerated().map { ($1.id, $0 + 1) })
    }

    /// What one HTML page is: where it goes, which template draws it, and who asked for it
    /// (for messages about collisions).
    enum Job {
        case home(String)
        case section(Kind, String)
        case entry(Entry, String)
        case search(String)
        case notFound
        /// An address the entry's page had before (`aliases:`), leading to it.
        case redirect(String, Entry, String, SourceLocation)
    }

    func jobs() -> [Job] {
        var jobs: [Job] = [.notFound]
        for language in graph.config.languages {
            jobs.append(.home(language))
            jobs.append(.search(language))
            for kind in Kind.allCases where kind != .page && !graph.all(kind).isEmpty {
                jobs.append(.section(kind, language))
            }
            for kind in Kind.allCases {
                for entry in graph.all(kind) {
                    jobs.append(.entry(entry, language))
                    for alias in entry.translations[language]?.aliases ?? [] where Self.aliasProblem(alias.path) == nil {
                        jobs.append(.redirect(alias.path, entry, language, alias.location))
                    }
                }
            }
        }
        return jobs
    }

    func path(of job: Job) -> String {
        switch job {
        case .home(let l): paths.home(l)
        case .section(let kind, let l): paths.sectionIndex(kind, l)
        case .entry(let entry, let l): paths.page(entry, l)
        case .search(let l): paths.search(l)
        case .notFound: "404.html"
        case .redirect(let alias, _, _, _): alias
        }
    }

    /// Why an alias cannot be a page's old address: it must be a path from the site root
    /// to an `.html` file, each part plain (letters, digits, `-`, `_`, `.`, not hidden).
    static func aliasProblem(_ alias: String) -> String? {
        let parts = alias.split(separator: "/", omittingEmptySubsequences: false)
        guard alias.hasSuffix(".html"), alias.count > 5, !alias.hasPrefix("/") else { return "path" }
        for part in parts {
            guard !part.isEmpty, !part.hasPrefix("."), part.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }) else { return "part" }
        }
        return nil
    }

    /// Where links on the page start from: its path, but for 404.html, which a server shows
    /// at any address, the site's own absolute path when `base_url` gives it, so its links
    /// and stylesheet work at any depth.
    func linkPath(of job: Job) -> String {
        guard case .notFound = job, let base = graph.config.baseURL,
              var folder = URLComponents(string: base)?.percentEncodedPath else { return path(of: job) }
        if !folder.hasPrefix("/") { folder = "/" + folder }
        if !folder.hasSuffix("/") { folder += "/" }
        return folder + path(of: job)
    }

    func origin(of job: Job) -> SourceLocation {
        switch job {
        case .entry(let entry, let l):
            let text = entry.text(in: l)
            return text.slugLocation
        case .search(let l), .home(let l), .section(_, let l):
            return SourceLocation(path: theme.directory + "/strings/\(l).yml")
        case .notFound:
            return SourceLocation(path: theme.directory + "/templates/404.mustache")
        case .redirect(_, _, _, let location):
            return location
        }
    }

    /// Renders the whole site in memory, sorted by path. Reports collisions and template
    /// problems; returns nil when there were errors.
    /// `only` limits the pages to those of these entries (a preview showing a saved file
    /// at once); nil renders the whole site.
    public func render(only entries: Set<EntryKey>? = nil, cancelled: @Sendable () -> Bool = { false }, diagnostics: DiagnosticBag) -> [OutputFile]? {
        render(only: entries, cancelled: cancelled, diagnostics: diagnostics, emit: nil)?.sorted { $0.path < $1.path }
    }

    /// Renders the whole site, handing each file to `emit` as soon as it is made, from
    /// several threads at once; true when there was no error. A build writes pages as
    /// they come instead of holding the site in memory.
    public func render(diagnostics: DiagnosticBag, emit: @escaping @Sendable (OutputFile) -> Void) -> Bool {
        render(only: nil, cancelled: { false }, diagnostics: diagnostics, emit: emit) != nil
    }

    /// The jobs of a render, run in one parallel loop: each file goes to `emit` as it is
    /// made, or with no `emit` is kept and returned; nil when there were errors.
    private func render(only entries: Set<EntryKey>?, cancelled: @Sendable () -> Bool, diagnostics: DiagnosticBag,
                        emit: (@Sendable (OutputFile) -> Void)?) -> [OutputFile]? {
        let jobs: [Job]
        var extras: [@Sendable () -> [OutputFile]] = []
        if let entries {
            // Pages for some entries only: a quick look for a preview; the full render that
            // follows checks that no two pages share a path.
            jobs = entries.sorted().flatMap { key in
                graph.entry(key.kind, key.id).map { entry in graph.config.languages.map { Job.entry(entry, $0) } } ?? []
            }
        } else {
            jobs = self.jobs()
            guard checkPaths(jobs, diagnostics: diagnostics) else { return nil }
            extras = extraJobs()
            extras.append { theme.assets.map { OutputFile(path: $0.path, data: $0.data) } }
            extras += media.outputJobs()
        }
        let extraJobs = extras
        let spoolFailures = TextSpool.failures.count
        let profile = RenderProfile.enabled ? RenderProfile() : nil
        defer { profile?.report() }
        let slots = parallelMap(Array(0..<(jobs.count + extras.count))) { i -> (files: [OutputFile], misses: Set<TemplateMiss>) in
            func made(_ files: [OutputFile]) -> [OutputFile] {
                guard let emit else { return files }
                files.forEach(emit)
                return []
            }
            if cancelled() { return ([], []) }
            // Extras first: the search index, which every page names, is written and let
            // go early instead of being held while the pages render.
            guard i >= extraJobs.count else { return (made(extraJobs[i]()), []) }
            let job = jobs[i - extraJobs.count]
            let started = profile == nil ? 0 : RenderProfile.now()
            var page = self.page(for: job)
            if !cachedTemplates.isEmpty { page.cached = cachedFragments(for: page.frame.shared, path: linkPath(of: job)) }
            let viewsMade = profile == nil ? 0 : RenderProfile.now()
            let recorder = MissRecorder()
            let html = theme.library.render(Strict(view: page, recorder: recorder), withTemplate: page.template) ?? ""
            profile?.add(page.template, views: viewsMade - started, render: RenderProfile.now() - viewsMade)
            let files = made([OutputFile(path: path(of: job), data: Data(html.utf8))])
            return (files, Set(recorder.misses.map { TemplateMiss(template: page.template, name: $0) }))
        }
        if cancelled() { return nil }
        reportMisses(slots.reduce(into: memo.misses.get()) { $0.formUnion($1.misses) }, diagnostics: diagnostics)
        if let folder = TextSpool.failures.dropFirst(spoolFailures).first {
            diagnostics.error(SourceLocation(path: folder), .cannotReadSpool)
        }
        return diagnostics.hasErrors ? nil : slots.flatMap(\.files)
    }

    /// The values a cached template may use: those that are the same on every page of one
    /// language, folder and section (links are relative to the folder).
    static let sharedFrameKeys: Set<String> = ["lang", "t", "site", "root", "assets", "asset", "home_href", "feed_href",
                                               "search_href", "search_index_href", "data_href", "nav", "footer_pages"]

    /// `theme/templates/cached/*` rendered for the page's language, folder and section:
    /// once per such triple, then shared by every page that has it.
    /// Names a cached template asks for that are not shared go to `memo.misses`.
    func cachedFragments(for shared: SharedFrame, path: String) -> CachedFragments {
        let key = CachedKey(language: shared.lang, folder: Paths.folder(of: path), currentItem: shared.nav.firstIndex { $0.current })
        return memo.cached.value(key) {
            var html: [String: String] = [:]
            for template in cachedTemplates {
                html[String(template.dropFirst(Theme.cachedFolder.count))] = theme.library.render(shared, withTemplate: template, misses: memo.misses)
            }
            return CachedFragments(html: html)
        }
    }

    /// Reports pages that would be written to the same path; true when there are none.
    private func checkPaths(_ jobs: [Job], diagnostics: DiagnosticBag) -> Bool {
        var owners: [String: Job] = [:]
        var clear = true
        for job in jobs {
            let p = path(of: job)
            if let first = owners[p] {
                clear = false
                for (here, other) in [(job, first), (first, job)] {
                    if case .redirect = here {
                        diagnostics.error(origin(of: here), .aliasTaken(p, by: origin(of: other).path))
                    } else if case .redirect = other {
                        continue   // the alias is the one to change: said there
                    } else {
                        diagnostics.error(origin(of: here), .samePage(p, other: origin(of: other).path))
                    }
                }
            } else {
                owners[p] = job
            }
        }
        return clear
    }

    /// Points at the first template tag that names a variable no view provides.
    func reportMisses(_ misses: Set<TemplateMiss>, diagnostics: DiagnosticBag) {
        for miss in misses.sorted() {
            let (template, name) = (miss.template, miss.name)
            var location = SourceLocation(path: theme.directory + "/templates/\(template).mustache", line: 1, column: 1)
            search: for file in [template] + theme.templateNames.sorted() where theme.templateNames.contains(file) {
                let path = theme.directory + "/templates/\(file).mustache"
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    for prefix in ["{{", "{{{", "{{#", "{{^", "{{&"] {
                        for variant in [prefix + name, prefix + " " + name] {
                            if let r = line.range(of: variant), let after = line[r.upperBound...].first, "}. |".contains(after) {
                                location = SourceLocation(path: path, line: n + 1, column: line.distance(from: line.startIndex, to: r.lowerBound) + 1)
                                break search
                            }
                        }
                    }
                }
            }
            if template.hasPrefix(Theme.cachedFolder) {
                diagnostics.error(location, .cachedTemplateUses(name, shared: Self.sharedFrameKeys.sorted()))
            } else if template.hasPrefix(Theme.itemFolder) {
                diagnostics.error(location, .itemTemplateUses(name, shared: ItemScope.frameKeys.sorted()))
            } else {
                diagnostics.error(location, .templateUsesUnknown(name, template: template))
            }
        }
    }

    func views(_ language: String) -> Views {
        Views(graph: graph, theme: theme, strings: strings[language] ?? StringTree(), paths: paths, language: language, l10n: localizations[language]!, goalPosition: goalPosition, memo: memo, media: media,
              searchIndexPath: { [self] in searchIndexPath(language) }, itemTemplates: itemTemplates)
    }
}
