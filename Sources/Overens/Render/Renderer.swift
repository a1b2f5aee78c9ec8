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
public struct Renderer: @unchecked Sendable {
    public let graph: SiteGraph
    public let theme: Theme
    public let paths: Paths
    let localizations: [String: Localization]
    let goalPosition: [String: Int]

    public init?(graph: SiteGraph, theme: Theme, diagnostics: DiagnosticBag) {
        var folders: [String: [Kind: String]] = [:]
        var searchSlugs: [String: String] = [:]
        var localizations: [String: Localization] = [:]
        for language in graph.config.languages {
            guard theme.strings[language] != nil else { return nil }
            var map: [Kind: String] = [:]
            for kind in Kind.allCases where kind != .page {
                let folder = theme.string(language, "folders.\(kind.rawValue)")
                if !Identifier.isValid(folder) {
                    diagnostics.error(SourceLocation(path: theme.directory + "/strings/\(language).yml"), "folders.\(kind.rawValue) '\(folder)' is not allowed; expected \(Identifier.rule)")
                }
                map[kind] = folder
            }
            folders[language] = map
            searchSlugs[language] = theme.string(language, "search_slug")
            localizations[language] = Localization(localeIdentifier: theme.string(language, "locale"), dateFormat: theme.string(language, "date_format"))
        }
        self.graph = graph
        self.theme = theme
        self.paths = Paths(defaultLanguage: graph.config.defaultLanguage, folders: folders, searchSlugs: searchSlugs)
        self.localizations = localizations
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
                for entry in graph.all(kind) { jobs.append(.entry(entry, language)) }
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
        }
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
        }
    }

    /// Renders the whole site in memory. Reports collisions and template problems; returns
    /// nil when there were errors, so nothing is written.
    /// `only` limits the pages to those of these entries (a preview showing a saved file
    /// at once); nil renders the whole site.
    public func render(only entries: Set<EntryKey>? = nil, cancelled: () -> Bool = { false }, diagnostics: DiagnosticBag) -> [OutputFile]? {
        // Pages for some entries only: a quick look for a preview; the full render that
        // follows checks that no two pages share a path.
        if let entries {
            let jobs = entries.sorted().flatMap { key in
                graph.entry(key.kind, key.id).map { entry in graph.config.languages.map { Job.entry(entry, $0) } } ?? []
            }
            return render(jobs, extras: [], cancelled: cancelled, diagnostics: diagnostics)?.sorted { $0.path < $1.path }
        }
        let jobs = jobs()
        var owners: [String: Job] = [:]
        for job in jobs {
            let p = path(of: job)
            if let first = owners[p] {
                for (here, other) in [(job, first), (first, job)] {
                    diagnostics.error(origin(of: here), "two pages would be written to \(p): this one and \(origin(of: other).path); give one of them another slug")
                }
            } else {
                owners[p] = job
            }
        }
        if diagnostics.hasErrors { return nil }
        guard var files = render(jobs, extras: extraJobs(), cancelled: cancelled, diagnostics: diagnostics) else { return nil }
        files += theme.assets.map { OutputFile(path: $0.path, data: $0.data) }
        return files.sorted { $0.path < $1.path }
    }

    /// Pages and extras share one parallel loop; each slot is written by one iteration.
    private func render(_ jobs: [Job], extras: [() -> [OutputFile]], cancelled: () -> Bool, diagnostics: DiagnosticBag) -> [OutputFile]? {
        var results = [[OutputFile]](repeating: [], count: jobs.count + extras.count)
        var misses = [Set<String>](repeating: [], count: jobs.count)
        results.withUnsafeMutableBufferPointer { out in
            misses.withUnsafeMutableBufferPointer { missOut in
                let outBase = out.baseAddress!, missBase = missOut.baseAddress!
                DispatchQueue.concurrentPerform(iterations: jobs.count + extras.count) { i in
                    if cancelled() { return }
                    guard i < jobs.count else {
                        outBase[i] = extras[i - jobs.count]()
                        return
                    }
                    let recorder = MissRecorder()
                    let (template, view) = self.view(for: jobs[i], recorder: recorder)
                    let html = theme.library.render(ViewNode(view, strictWith: recorder), withTemplate: template) ?? ""
                    outBase[i] = [OutputFile(path: path(of: jobs[i]), data: Data(html.utf8))]
                    missBase[i] = Set(recorder.misses.map { "\(template)\u{0}\($0)" })
                }
            }
        }
        if cancelled() { return nil }
        reportMisses(misses.reduce(into: Set<String>()) { $0.formUnion($1) }, diagnostics: diagnostics)

        if diagnostics.hasErrors { return nil }
        return results.flatMap { $0 }
    }

    /// Points at the first template tag that names a variable no view provides.
    func reportMisses(_ misses: Set<String>, diagnostics: DiagnosticBag) {
        for miss in misses.sorted() {
            let parts = miss.split(separator: "\u{0}", maxSplits: 1).map(String.init)
            let (template, name) = (parts[0], parts.count > 1 ? parts[1] : "")
            var location = SourceLocation(path: theme.directory + "/templates/\(template).mustache", line: 1, column: 1)
            search: for file in theme.templateNames.sorted() {
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
            diagnostics.error(location, "template uses '\(name)', which no page provides (rendering '\(template)'); check the spelling")
        }
    }

    func views(_ language: String) -> Views {
        Views(graph: graph, theme: theme, paths: paths, language: language, l10n: localizations[language]!, goalPosition: goalPosition)
    }
}
