import Foundation

/// One piece of content in all its languages.
public struct Entry: Sendable {
    public var kind: Kind
    public var id: String
    /// Neutral fields, from the default language's file (or the only file there is).
    public var fields: NeutralFields {
        // Read in place: `entry.fields.date` must not copy every field to read one.
        _read { yield boxedFields.value }
        set { boxedFields = Box(newValue) }
    }
    /// Held by reference: an entry is copied into every list and page job that names it,
    /// and its fields are a few hundred bytes (tens of megabytes at 100,000 entries).
    private var boxedFields: Box<NeutralFields>
    public var translations: [String: Translation]
    /// The language whose file gave the neutral fields.
    public var primaryLanguage: String
    /// Slugs of translations a draft holds back: their pages keep their addresses while
    /// they show the fallback text.
    public var heldSlugs: [String: String] = [:]

    /// The last part of this entry's address in `language`.
    public func slug(in language: String) -> String {
        translations[language]?.slug ?? heldSlugs[language] ?? text(in: language).slug
    }

    public var key: EntryKey { EntryKey(kind: kind, id: id) }

    public init(kind: Kind, id: String, fields: NeutralFields, translations: [String: Translation], primaryLanguage: String) {
        self.kind = kind
        self.id = id
        self.boxedFields = Box(fields)
        self.translations = translations
        self.primaryLanguage = primaryLanguage
    }

    /// The words to show in `language`: its own file, else the primary language's.
    public func text(in language: String) -> Translation {
        translations[language] ?? translations[primaryLanguage]!
    }
}

public struct EntryKey: Hashable, Sendable, Comparable {
    public var kind: Kind
    public var id: String
    public static func < (a: EntryKey, b: EntryKey) -> Bool { (a.kind, a.id) < (b.kind, b.id) }
}

/// The typed site graph: all content, every cross-reference resolved, and the reverse
/// links computed once. Templates get views built from this, never files.
public struct SiteGraph: Sendable {
    public var config: SiteConfig
    /// Entries per kind, in their natural order: goals and principles by `order`, actions by
    /// `number`, news newest first, parties and pages by id (collated per language at render).
    public var entries: [Kind: [Entry]]
    private var index: [EntryKey: Int] = [:]

    /// Reverse links, by the target's id.
    public var actionsByGoal: [String: [String]] = [:]
    public var actionsByParty: [String: [String]] = [:]
    public var newsByAction: [String: [String]] = [:]
    public var newsByGoal: [String: [String]] = [:]
    public var newsByParty: [String: [String]] = [:]
    public var documentsByAction: [String: [String]] = [:]
    public var documentsByGoal: [String: [String]] = [:]
    public var documentsByParty: [String: [String]] = [:]
    public var eventsByAction: [String: [String]] = [:]
    public var eventsByGoal: [String: [String]] = [:]
    public var eventsByParty: [String: [String]] = [:]
    /// Per document: the entries that name it in `sources`, in kind and natural order.
    public var citations: [String: [EntryKey]] = [:]

    public func entry(_ kind: Kind, _ id: String) -> Entry? {
        guard let i = index[EntryKey(kind: kind, id: id)] else { return nil }
        return entries[kind]![i]
    }

    public func all(_ kind: Kind) -> [Entry] { entries[kind] ?? [] }

    /// Every entry, kind by kind in the order of `Kind.allCases`.
    public var allEntries: some Sequence<Entry> { Kind.allCases.lazy.flatMap { all($0) } }

    /// The entries whose pages list one of `keys`: an action's goals, parties and news; a
    /// goal's actions and news; a party's actions and news; a news item's actions, goals
    /// and parties. What a preview redraws right after the saved entry's own pages.
    public func neighbours(of keys: Set<EntryKey>) -> Set<EntryKey> {
        var found: Set<EntryKey> = []
        func add(_ kind: Kind, _ ids: [String]) { for id in ids { found.insert(EntryKey(kind: kind, id: id)) } }
        for key in keys {
            guard let item = entry(key.kind, key.id) else { continue }
            switch key.kind {
            case .action:
                add(.goal, item.fields.goals.map(\.id))
                add(.party, item.fields.parties.map(\.id))
                add(.news, newsByAction[key.id] ?? [])
                add(.document, documentsByAction[key.id] ?? [])
                add(.event, eventsByAction[key.id] ?? [])
            case .goal:
                add(.action, actionsByGoal[key.id] ?? [])
                add(.news, newsByGoal[key.id] ?? [])
                add(.document, documentsByGoal[key.id] ?? [])
                add(.event, eventsByGoal[key.id] ?? [])
            case .party:
                add(.action, actionsByParty[key.id] ?? [])
                add(.news, newsByParty[key.id] ?? [])
                add(.document, documentsByParty[key.id] ?? [])
                add(.event, eventsByParty[key.id] ?? [])
            case .event:
                add(.action, item.fields.actions.map(\.id))
                add(.goal, item.fields.goals.map(\.id))
                add(.party, item.fields.organisers.map(\.id))
            case .news:
                add(.action, item.fields.actions.map(\.id))
                add(.goal, item.fields.goals.map(\.id))
                add(.party, item.fields.parties.map(\.id))
            case .document:
                add(.action, item.fields.actions.map(\.id))
                add(.goal, item.fields.goals.map(\.id))
                add(.party, item.fields.parties.map(\.id))
                for cited in citations[key.id] ?? [] { found.insert(cited) }
            case .principle, .page:
                break
            }
            add(.document, item.fields.sources.map(\.id))
        }
        return found.subtracting(keys)
    }

    /// What linking reported, per entry (checks of its own files) and for the site as a
    /// whole; kept so that `relinking` re-checks only the entries that changed.
    private var entryDiagnostics: [EntryKey: [Diagnostic]] = [:]
    private var siteDiagnostics: [Diagnostic] = []
    /// Entries with a file that failed to parse. That file's error is the one to fix; what
    /// only follows from it (links to the entry, goals its action would serve, its missing
    /// translation) is not reported as well.
    private var unparsed: Set<EntryKey> = []
    /// Entries a draft holds back from this build, and translations held back by language:
    /// a link to one is an error, a missing translation that is a draft no warning.
    private var heldBack: Set<EntryKey> = []
    private var heldTranslations: [EntryKey: Set<String>] = [:]
    public var diagnostics: [Diagnostic] { siteDiagnostics + entryDiagnostics.values.joined() }

    /// Builds the graph and reports every reference that does not resolve, every
    /// disagreement between translations and every duplicate.
    /// `unparsed` names entries with a file that failed to parse: already reported, so
    /// their other files are not blamed for fields the broken one would have given.
    /// `showDrafts`: drafts are linked and shown (a preview); otherwise what a draft holds
    /// back is left out, and a published page that links it is an error.
    public static func link(config: SiteConfig, files: [ParsedFile], unparsed: Set<EntryKey> = [], showDrafts: Bool = false,
                            diagnostics: DiagnosticBag) -> SiteGraph {
        let languages = config.languages
        let site = DiagnosticBag()
        var grouped: [EntryKey: [ParsedFile]] = [:]
        for file in files {
            guard languages.contains(file.translation.language) else {
                site.error(SourceLocation(path: file.translation.path), .languageNotInSite(file.translation.language, languages: languages))
                continue
            }
            grouped[EntryKey(kind: file.kind, id: file.id), default: []].append(file)
        }
        // A draft in the entry's first language holds back the whole entry; in another, only
        // that translation (readers get the first language's text).
        var heldBack: Set<EntryKey> = []
        var heldTranslations: [EntryKey: Set<String>] = [:]
        var heldSlugs: [EntryKey: [String: String]] = [:]
        if !showDrafts {
            for (key, group) in grouped {
                let primary = group.min { languages.firstIndex(of: $0.translation.language)! < languages.firstIndex(of: $1.translation.language)! }!
                let drafts = group.filter(\.translation.draft)
                guard !drafts.isEmpty else { continue }
                for file in drafts {
                    for todo in file.translation.todos { site.warning(todo.location, .todoInDraft(todo.field)) }
                }
                if primary.translation.draft {
                    heldBack.insert(key)
                    grouped[key] = nil
                } else {
                    heldTranslations[key] = Set(drafts.map(\.translation.language))
                    heldSlugs[key] = Dictionary(drafts.map { ($0.translation.language, $0.translation.slug) }, uniquingKeysWith: { a, _ in a })
                    grouped[key] = group.filter { !$0.translation.draft }
                }
            }
        }

        var entries: [Kind: [Entry]] = [:]
        var perEntry: [EntryKey: [Diagnostic]] = [:]
        for key in grouped.keys.sorted() {
            let bag = DiagnosticBag()
            var made = entry(key, grouped[key]!, complete: !unparsed.contains(key), languages: languages, diagnostics: bag)
            made.heldSlugs = heldSlugs[key] ?? [:]
            entries[key.kind, default: []].append(made)
            perEntry[key] = bag.all
        }

        sortEntries(&entries)
        var graph = SiteGraph(config: config, entries: entries)
        graph.unparsed = unparsed
        graph.heldBack = heldBack
        graph.heldTranslations = heldTranslations
        for (kind, list) in entries {
            for (i, entry) in list.enumerated() { graph.index[EntryKey(kind: kind, id: entry.id)] = i }
        }
        graph.checkUnique(diagnostics: site)
        graph.resolve(diagnostics: site)
        graph.warn(diagnostics: site)
        for kind in Kind.allCases {
            for entry in graph.all(kind) {
                let bag = DiagnosticBag()
                graph.checkWords(of: entry, diagnostics: bag)
                perEntry[entry.key, default: []] += bag.all
            }
        }
        graph.entryDiagnostics = perEntry.filter { !$0.value.isEmpty }
        graph.siteDiagnostics = site.all
        graph.diagnostics.forEach(diagnostics.report)
        return graph
    }

    /// The graph after some entries changed only in words (titles, summaries, bodies):
    /// `groups` holds every file of each such entry. Only those entries are checked again.
    /// Nil when a change reaches further (a neutral field, a slug, a menu place, a file
    /// added or gone) or the graph had errors: then only a full `link` knows.
    public func relinking(_ groups: [EntryKey: [ParsedFile]], diagnostics: DiagnosticBag) -> SiteGraph? {
        guard !self.diagnostics.contains(where: { $0.severity == .error }) else { return nil }
        var graph = self
        for (key, files) in groups {
            guard let i = index[key], let old = entries[key.kind]?[i],
                  Set(files.map(\.translation.language)) == Set(old.translations.keys) else { return nil }
            for file in files {
                let before = old.translations[file.translation.language]!
                guard file.translation.slug == before.slug, file.translation.menu == before.menu, file.translation.draft == before.draft,
                      file.translation.aliases.map(\.path) == before.aliases.map(\.path) else { return nil }
                if file.translation.language == old.primaryLanguage {
                    guard Set(file.fields.written.keys) == Set(old.fields.written.keys),
                          NeutralFields.all.allSatisfy({ file.fields.value(of: $0) == old.fields.value(of: $0) }) else { return nil }
                }
            }
            let bag = DiagnosticBag()
            var entry = Self.entry(key, files, complete: true, languages: config.languages, diagnostics: bag)
            entry.heldSlugs = old.heldSlugs
            graph.entries[key.kind]![i] = entry
            graph.entryDiagnostics[key] = bag.all
        }
        for key in groups.keys {
            let bag = DiagnosticBag()
            graph.checkWords(of: graph.entry(key.kind, key.id)!, diagnostics: bag)
            graph.entryDiagnostics[key, default: []] += bag.all
        }
        graph.diagnostics.forEach(diagnostics.report)
        return graph
    }

    /// One entry from its files (default language first), checking that they agree.
    private static func entry(_ key: EntryKey, _ files: [ParsedFile], complete: Bool, languages: [String], diagnostics: DiagnosticBag) -> Entry {
        let group = files.sorted { languages.firstIndex(of: $0.translation.language)! < languages.firstIndex(of: $1.translation.language)! }
        let primary = group[0]
        for name in Schema.required(key.kind) where complete && primary.fields.written[name] == nil {
            diagnostics.error(SourceLocation(path: primary.translation.path, line: 1, column: 1), .requiredMissingIn(name, kind: key.kind.rawValue, path: primary.translation.path))
        }
        if key.kind == .action && primary.fields.written["goals"] != nil && primary.fields.goals.isEmpty && !primary.fields.refused.contains("goals") {
            diagnostics.error(primary.fields.written["goals"]!, .goalsEmpty)
        }
        for other in group.dropFirst() where complete {
            for (name, location) in other.fields.written.sorted(by: { $0.key < $1.key }) {
                let mine = other.fields.value(of: name), theirs = primary.fields.value(of: name)
                let refused = other.fields.refused.contains(name) || primary.fields.refused.contains(name)
                if mine != theirs && !refused {
                    diagnostics.error(location, .translationDisagrees(name, mine: mine, theirs: theirs, primary: primary.translation.path))
                }
            }
        }
        for file in group {
            for todo in file.translation.todos {
                if file.translation.draft { diagnostics.warning(todo.location, .todoInDraft(todo.field)) } else { diagnostics.error(todo.location, .todoLeft(todo.field)) }
            }
        }
        var translations: [String: Translation] = [:]
        for file in group { translations[file.translation.language] = file.translation }
        return Entry(kind: key.kind, id: key.id, fields: primary.fields, translations: translations, primaryLanguage: primary.translation.language)
    }

    private static func sortEntries(_ entries: inout [Kind: [Entry]]) {
        for kind in Array(entries.keys) {
            entries[kind]!.sort { a, b in
                switch kind {
                case .goal, .principle: return (a.fields.order ?? .max, a.id) < (b.fields.order ?? .max, b.id)
                case .action: return (a.fields.number ?? .max, a.id) < (b.fields.number ?? .max, b.id)
                case .news, .document:
                    // Newest first; those without a date last.
                    switch (a.fields.date, b.fields.date) {
                    case let (da?, db?) where da != db: return da > db
                    case (.some, nil): return true
                    case (nil, .some): return false
                    default: return a.id < b.id
                    }
                case .event:
                    // Latest first, like news; the calendar page's script brings what is still
                    // to come to the top on the reader's own clock.
                    let (sa, sb) = (a.fields.start, b.fields.start)
                    if sa != sb, let sa, let sb { return sa > sb }
                    if (sa == nil) != (sb == nil) { return sa != nil }
                    return a.id < b.id
                case .party, .page: return a.id < b.id
                }
            }
        }
    }

    /// Two actions with one number: either may be the one just edited, so each is told,
    /// at its `number:` line, which other file has the number, and which number is free.
    private func checkUnique(diagnostics: DiagnosticBag) {
        var numbers: [Int: [Entry]] = [:]
        for action in all(.action) {
            guard let n = action.fields.number else { continue }
            numbers[n, default: []].append(action)
        }
        var free = 1
        for (n, actions) in numbers.sorted(by: { $0.key < $1.key }) where actions.count > 1 {
            while numbers[free] != nil { free += 1 }
            for action in actions {
                let here = action.fields.written["number"] ?? SourceLocation(path: action.text(in: action.primaryLanguage).path)
                let others = actions.filter { $0.id != action.id }.map { $0.text(in: $0.primaryLanguage).path }
                diagnostics.error(here, .duplicateNumber(n, other: others.joined(separator: ", "), free: free))
            }
        }
    }

    private mutating func resolve(diagnostics: DiagnosticBag) {
        func check(_ refs: [Reference]) -> [String] {
            var seen = Set<String>()
            return refs.compactMap { ref in
                guard entry(ref.kind, ref.id) != nil else {
                    if !unparsed.contains(EntryKey(kind: ref.kind, id: ref.id)) { diagnostics.error(ref.location, unknown(ref)) }
                    return nil
                }
                return seen.insert(ref.id).inserted ? ref.id : nil
            }
        }
        for action in all(.action) {
            for goal in check(action.fields.goals) { actionsByGoal[goal, default: []].append(action.id) }
            for party in check(action.fields.parties) { actionsByParty[party, default: []].append(action.id) }
        }
        for news in all(.news) {
            for action in check(news.fields.actions) { newsByAction[action, default: []].append(news.id) }
            for goal in check(news.fields.goals) { newsByGoal[goal, default: []].append(news.id) }
            for party in check(news.fields.parties) { newsByParty[party, default: []].append(news.id) }
        }
        for event in all(.event) {
            for action in check(event.fields.actions) { eventsByAction[action, default: []].append(event.id) }
            for goal in check(event.fields.goals) { eventsByGoal[goal, default: []].append(event.id) }
            for party in check(event.fields.organisers) { eventsByParty[party, default: []].append(event.id) }
        }
        for document in all(.document) {
            for action in check(document.fields.actions) { documentsByAction[action, default: []].append(document.id) }
            for goal in check(document.fields.goals) { documentsByGoal[goal, default: []].append(document.id) }
            for party in check(document.fields.parties) { documentsByParty[party, default: []].append(document.id) }
        }
        for kind in Kind.allCases {
            for item in all(kind) {
                for document in check(item.fields.sources) { citations[document, default: []].append(item.key) }
            }
        }
    }

    /// Checks what an entry's files say in words: links in the text resolve, and their
    /// targets exist in the text's language; and that every language has a file.
    private func checkWords(of item: Entry, diagnostics: DiagnosticBag) {
        let drafted = heldTranslations[item.key] ?? []
        let missing = config.languages.filter { item.translations[$0] == nil && !drafted.contains($0) }
        if !missing.isEmpty && !unparsed.contains(item.key) {
            diagnostics.warning(SourceLocation(path: item.text(in: item.primaryLanguage).path), .noTranslation(missing, shown: item.primaryLanguage))
        }
        for (language, translation) in item.translations.sorted(by: { $0.key < $1.key }) {
            for ref in translation.references {
                guard let target = entry(ref.kind, ref.id) else {
                    if !unparsed.contains(EntryKey(kind: ref.kind, id: ref.id)) { diagnostics.error(ref.location, unknown(ref)) }
                    continue
                }
                if target.translations[language] == nil && !unparsed.contains(target.key) {
                    diagnostics.warning(ref.location, .targetOnlyIn(kind: ref.kind.rawValue, id: ref.id, languages: target.translations.keys.sorted()))
                }
            }
        }
    }

    private func unknown(_ ref: Reference) -> Message {
        if heldBack.contains(EntryKey(kind: ref.kind, id: ref.id)) { return .linksDraft(kind: ref.kind.rawValue, id: ref.id) }
        return .unknownReference(kind: ref.kind.rawValue, id: ref.id, known: Array(all(ref.kind).map(\.id).prefix(12)), folder: ref.kind.folder)
    }

    /// Problems that do not stop a build but that `check --strict` refuses.
    private func warn(diagnostics: DiagnosticBag) {
        for event in all(.event) where event.fields.start?.hasTime == true && config.timeZone == nil {
            diagnostics.error(event.fields.written["start"] ?? SourceLocation(path: event.text(in: event.primaryLanguage).path), .timeZoneMissing)
        }
        // Said, not acted on: what is published never depends on the day of the build.
        let today = Day.today
        for news in all(.news) {
            if let date = news.fields.date, date > today {
                diagnostics.warning(news.fields.written["date"] ?? SourceLocation(path: news.text(in: news.primaryLanguage).path), .futureDate(date.description))
            }
        }
        // Once a site publishes its sources, the entries that carry its facts name theirs.
        if !all(.document).isEmpty {
            for kind in [Kind.action, .goal, .principle, .party] {
                for item in all(kind) where item.fields.sources.isEmpty && !item.fields.refused.contains("sources") {
                    diagnostics.warning(SourceLocation(path: item.text(in: item.primaryLanguage).path), .noSources(kind: kind.rawValue))
                }
            }
        }
        // An action that failed to parse, or whose goals were refused, may serve any goal:
        // say nothing until it is fixed.
        guard !unparsed.contains(where: { $0.kind == .action }),
              !all(.action).contains(where: { $0.fields.refused.contains("goals") }) else { return }
        for goal in all(.goal) where actionsByGoal[goal.id] == nil {
            diagnostics.warning(SourceLocation(path: goal.text(in: goal.primaryLanguage).path), .goalNotServed(goal.id))
        }
    }
}

/// An immutable value behind a reference, so that copies of what holds it share it.
final class Box<Value: Sendable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
