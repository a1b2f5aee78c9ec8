import Foundation

/// The pipeline up to render, remembering what it read and parsed: `serve` keeps one
/// session, so saving one file costs reading and parsing that file, then linking the
/// whole site (fast) before any page is drawn. A build is a session's first run.
/// Runs are serial: the session's memory is behind one lock, taken for a whole run.
public final class SiteSession: Sendable {
    public let options: BuildOptions
    private let memory = Locked(Memory())

    /// `keepsSources: false` for a session that runs once: it reads no file twice, so
    /// each file's text is let go as soon as it is parsed.
    public init(_ options: BuildOptions, keepsSources: Bool = true) {
        self.options = options
        memory.withLock { $0.keepsSources = keepsSources }
    }

    /// The site linked and ready to render, with everything noticed on the way, and what
    /// the change was.
    public struct Linked: Sendable {
        public let renderer: Renderer?
        public let diagnostics: DiagnosticBag
        public let change: Change
    }

    /// Load → parse → theme → link → renderer. `changed` names the files that changed
    /// since the last run; nil means everything (the first run, or a change not worth tracking).
    public func link(changed: Set<String>?, timer: StageTimer = StageTimer()) -> Linked {
        let options = options
        return memory.withLock { memory in
            let change = changed.map { memory.change($0, options: options) } ?? .everything
            return memory.run(change, options: options, timer: timer)
        }
    }
}

/// What a session keeps between runs, and the steps of a run.
private struct Memory {
    /// What the last run read: content files by path (in the loader's order), site.yml,
    /// and what loading reported.
    private var sources: [String: SourceFile] = [:]
    private var order: [String] = []
    private var config: SiteConfig?
    private var loadDiagnostics: [Diagnostic] = []
    /// Per content file: what parsing gave (nil: it did not parse).
    private var parsed: [String: ParsedFile?] = [:]
    /// Where parsed bodies wait for the render (nil: in memory).
    private var spool: TextSpool?
    /// False for a session of one run (a build, a check): a text is let go once parsed.
    var keepsSources = true
    /// What parsing reported, for the files that reported something: reported again on
    /// every run without walking (and copying) every parsed file.
    private var findings: [String: [Diagnostic]] = [:]
    private var theme: (theme: Theme?, languages: [String], diagnostics: [Diagnostic])?
    private var graph: SiteGraph?
    /// What `content/files/` and `content/images/` held at the last listing.
    private var assets: [AssetFile] = []
    private var credits: (path: String, text: String)?
    /// Every output path of the last run that ended without an error, with those of its
    /// files and images: while they stay the same, a saved entry's links are the only
    /// ones to check again.
    private var checked: (outputs: Set<String>, media: Set<String>)?
    /// The files and images the last run resolved, with what resolving them reported.
    private var resolved: (media: Media, diagnostics: [Diagnostic])?

    func change(_ paths: Set<String>, options: BuildOptions) -> Change {
        paths.isEmpty ? .everything : Change(paths: paths, content: options.content, theme: options.theme) { sources[$0] != nil }
    }

    mutating func run(_ change: Change, options: BuildOptions, timer: StageTimer) -> SiteSession.Linked {
        let diagnostics = DiagnosticBag()
        func failed() -> SiteSession.Linked { .init(renderer: nil, diagnostics: diagnostics, change: change) }
        // Saved files are read again by themselves; anything else lists the folder anew.
        let rereadOnly = !change.listsContent && config != nil
        if rereadOnly { reread(change, options: options) } else { load(change, options: options) }
        loadDiagnostics.forEach(diagnostics.report)
        guard let config else { return failed() }
        timer.lap("content")
        loadTheme(change, config: config, options: options)
        theme!.diagnostics.forEach(diagnostics.report)
        timer.lap("theme")

        let stale = parse(change, rereadOnly: rereadOnly, options: options)
        for list in findings.values { list.forEach(diagnostics.report) }
        timer.lap("parse")

        let before = graph
        let (linked, relinked) = link(change, stale: stale, config: config, options: options, diagnostics: diagnostics)
        // Only a run without errors is a base for re-checking single entries next time.
        graph = diagnostics.hasErrors ? nil : linked
        timer.lap("link")
        let media = resolve(linked, relinked: relinked, before: before, options: options, diagnostics: diagnostics)
        timer.lap("media")
        let renderer = renderer(linked, media: media, relinked: relinked, diagnostics: diagnostics)
        timer.lap("links")
        guard let renderer else { return failed() }
        return .init(renderer: renderer, diagnostics: diagnostics, change: change)
    }

    /// Load, when only known files were saved again: those files, read by themselves.
    private mutating func reread(_ change: Change, options: BuildOptions) {
        let bag = DiagnosticBag()
        for (path, text) in ContentLoader.reread(change.wording.sorted(), contentDirectory: options.content, diagnostics: bag) {
            if let text, let old = sources[path] {
                sources[path] = SourceFile(path: path, kind: old.kind, id: old.id, language: old.language, text: text)
            } else {
                sources[path] = nil
                config = nil   // the next run lists the folder again
            }
        }
        let paths = change.paths
        loadDiagnostics = loadDiagnostics.filter { !paths.contains($0.location.path) } + bag.all
    }

    /// Load: site.yml and the content folder's listing; unchanged files are taken from memory.
    private mutating func load(_ change: Change, options: BuildOptions) {
        let bag = DiagnosticBag()
        let loaded = ContentLoader.load(contentDirectory: options.content, diagnostics: bag,
                                        reuse: change.isEverything ? [:] : sources, changed: change.paths)
        config = loaded.flatMap { SiteConfig.parse($0.configText, path: $0.configPath, diagnostics: bag) }
        sources = Dictionary((loaded?.files ?? []).map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        assets = loaded?.assets ?? []
        credits = loaded?.credits
        order = loaded?.files.map(\.path) ?? []
        loadDiagnostics = bag.all
        graph = nil   // files came or went: link them all
        if config == nil { parsed = [:]; findings = [:] }
    }

    /// Theme: read again when it changed or site.yml names other languages.
    private mutating func loadTheme(_ change: Change, config: SiteConfig, options: BuildOptions) {
        guard change.loadsTheme || theme?.languages != config.languages else { return }
        let bag = DiagnosticBag()
        theme = (Theme.load(directory: options.theme, languages: config.languages, diagnostics: bag), config.languages, bag.all)
    }

    /// Parse: the files read anew (cmark parses under its own lock; front matter and
    /// rendering in parallel). Returns their paths.
    private mutating func parse(_ change: Change, rereadOnly: Bool, options: BuildOptions) -> [String] {
        let files = rereadOnly ? [] : order.filter { sources[$0] != nil }
        let stale = rereadOnly ? change.wording.sorted().filter { sources[$0] != nil }
            : files.filter { parsed[$0] == nil || change.isEverything || change.paths.contains($0) }
        // Decided when every file is parsed (the first run, and any that lists everything
        // again): a new spool, or none; the old one goes with the last text in it, instead
        // of growing for as long as `serve` runs. A save parsed alone uses the current one.
        if !rereadOnly && stale.count == files.count {
            let size = files.reduce(0) { $0 + (sources[$1]?.text.utf8.count ?? 0) }
            spool = size > options.spoolAbove ? TextSpool(directory: BuildCache.root(options) + "/spool") : nil
        }
        let spool = spool
        if !rereadOnly && stale.count == files.count { parsed = [:]; findings = [:] }
        parsed.reserveCapacity(files.count)
        // A slice at a time, so that a build, which never reads a file twice, lets each
        // slice's text go before the next is parsed: the texts and what they parse into
        // are not all in memory at once.
        for start in stride(from: 0, to: stale.count, by: 2048) {
            let slice = stale[start..<min(start + 2048, stale.count)].compactMap { sources[$0] }
            let fresh = parallelMap(slice) { source -> (file: ParsedFile?, diagnostics: [Diagnostic]) in
                let bag = DiagnosticBag()
                return (ContentParser.parse(source, diagnostics: bag, spool: spool), bag.all)
            }
            for (file, result) in zip(slice, fresh) {
                parsed.updateValue(result.file, forKey: file.path)
                findings[file.path] = result.diagnostics.isEmpty ? nil : result.diagnostics
                if !keepsSources { sources[file.path]?.text = "" }
            }
        }
        if !rereadOnly && parsed.count > files.count {
            let kept = Set(order)
            parsed = parsed.filter { kept.contains($0.key) }
            findings = findings.filter { kept.contains($0.key) }
        }
        return stale
    }

    /// Link: when saved files changed only in words, only their entries are checked
    /// again (and returned as `relinked`); otherwise the whole site is linked anew.
    private mutating func link(_ change: Change, stale: [String], config: SiteConfig, options: BuildOptions,
                      diagnostics: DiagnosticBag) -> (graph: SiteGraph?, relinked: Set<EntryKey>?) {
        if let previous = graph, previous.config.languages == config.languages,
           let keys = change.entries(content: options.content), stale.allSatisfy({ (parsed[$0] ?? nil) != nil }) {
            var groups: [EntryKey: [ParsedFile]] = [:]
            for key in keys {
                let paths = previous.entry(key.kind, key.id)?.translations.values.map(\.path) ?? []
                groups[key] = paths.compactMap { parsed[$0] ?? nil }
            }
            if let relinked = previous.relinking(groups, diagnostics: diagnostics) { return (relinked, keys) }
        }
        // Entries with a file that could not be read or parsed: already reported.
        var unparsed = Set(loadDiagnostics.filter { $0.severity == .error }.compactMap { ContentLoader.entryKey(ofPath: $0.location.path) })
        var parsedFiles: [ParsedFile] = []
        parsedFiles.reserveCapacity(order.count)
        for file in order.compactMap({ sources[$0] }) {
            if let parsedFile = parsed[file.path] ?? nil { parsedFiles.append(parsedFile) } else { unparsed.insert(EntryKey(kind: file.kind, id: file.id)) }
        }
        // A session of one run needs them no more: not a third copy beside the graph.
        if !keepsSources { parsed = [:] }
        return (SiteGraph.link(config: config, files: parsedFiles, unparsed: unparsed, showDrafts: options.includeDrafts, diagnostics: diagnostics), nil)
    }

    /// Media: the last run's again when only saved entries were relinked and they use the
    /// same files and images as before; otherwise resolved anew.
    private mutating func resolve(_ linked: SiteGraph?, relinked: Set<EntryKey>?, before: SiteGraph?, options: BuildOptions,
                                  diagnostics: DiagnosticBag) -> Media {
        guard let linked else {
            resolved = nil
            return Media()
        }
        if let relinked, let before, let resolved, Media.sameUses(relinked, before: before, after: linked) {
            resolved.diagnostics.forEach(diagnostics.report)
            return resolved.media
        }
        let bag = DiagnosticBag()
        let media = Media.resolve(linked, assets: assets, credits: credits, options: options, diagnostics: bag)
        resolved = (media, bag.all)
        bag.all.forEach(diagnostics.report)
        return media
    }

    /// Renderer: the linked site with the theme, when nothing so far is an error. Links
    /// are checked even after other errors, so one run reports them all: only the
    /// `relinked` entries' when the site's paths are those of the last run without errors.
    private mutating func renderer(_ graph: SiteGraph?, media: Media, relinked: Set<EntryKey>?, diagnostics: DiagnosticBag) -> Renderer? {
        let previous = checked
        checked = nil
        guard let graph, let theme = theme?.theme,
              let renderer = Renderer(graph: graph, theme: theme, media: media, diagnostics: diagnostics) else { return nil }
        let mediaOutputs = Set(media.outputPaths)
        let known = relinked != nil && previous?.media == mediaOutputs ? previous?.outputs : nil
        let outputs = renderer.checkLinks(only: known == nil ? nil : relinked, outputs: known, diagnostics: diagnostics)
        guard !diagnostics.hasErrors else { return nil }
        checked = (outputs, mediaOutputs)
        return renderer
    }
}
