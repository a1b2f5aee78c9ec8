import Foundation
import Mustache

/// Files beside the pages: feeds, sitemap, robots.txt, the search index and open data.
extension Renderer {
    /// Each extra is independent of the others; `render` runs them beside the pages.
    func extraJobs() -> [@Sendable () -> [OutputFile]] {
        let config = graph.config
        // The search indexes first: the largest, and held until written.
        var jobs: [@Sendable () -> [OutputFile]] = config.languages.map { language in { [takeSearchIndex(language)] } }
        for language in config.languages {
            jobs.append { [feed(language)] }
            if !graph.all(.event).isEmpty {
                jobs.append { [calendar(language)] + graph.all(.event).map { eventCalendar($0, language: language) } }
            }
        }
        if let base = config.baseURL {
            jobs.append { [sitemap(base: base)] }
        }
        jobs.append {
            var robots = "User-agent: *\nAllow: /\n"
            if let base = config.baseURL { robots += "Sitemap: \(base)sitemap.xml\n" }
            return [OutputFile(path: "robots.txt", data: Data(robots.utf8))]
        }
        jobs.append { openData() }
        return jobs
    }

    /// The paths `extraJobs` writes, without making them: what a link may point at. Not the
    /// search indexes: their names change with every edit (and making them to learn the
    /// names would cost a preview the whole index on every save).
    func extraPaths() -> [String] {
        var list = graph.config.languages.map { paths.feed($0) }
        if !graph.all(.event).isEmpty {
            for language in graph.config.languages {
                list += [paths.calendar(language)] + graph.all(.event).map { paths.eventCalendar($0, language) }
            }
        }
        if graph.config.baseURL != nil { list.append("sitemap.xml") }
        return list + ["robots.txt"] + Self.openDataPaths
    }

    static let openDataPaths = ["data/actions.json", "data/actions.csv", "data/documents.json"]

    /// Feeds carry the newest items only, as feed readers expect.
    static let feedLength = 30

    /// Atom 1.0 of the news, per language. Links are absolute when `base_url` is set.
    func feed(_ language: String) -> OutputFile {
        let v = views(language)
        let path = paths.feed(language)
        let base = graph.config.baseURL
        func url(_ target: String) -> String { base.map { $0 + target } ?? Paths.relative(from: path, to: target) }
        let news = Array(graph.all(.news).prefix(Renderer.feedLength))
        let updated = news.compactMap(\.fields.date).max()?.description ?? "2000-01-01"
        let entries: [[String: Any]] = news.map { entry in
            let text = entry.text(in: language)
            let page = paths.page(entry, language)
            return [
                "title": text.title,
                "url": url(page),
                "id": base.map { $0 + page } ?? "urn:overens:\(language):news:\(entry.id)",
                "updated": (entry.fields.date?.description ?? updated) + "T00:00:00Z",
                "summary": text.summary ?? false,
                "content": self.bodyHTML(entry, text, language: language, pagePath: path, href: url),
                "lang": text.language,
            ]
        }
        let view: [String: Any] = [
            "lang": language,
            "title": (graph.config.title[language] ?? "") + " – " + v.t("sections.news"),
            "id": base.map { $0 + path } ?? "urn:overens:\(language):news",
            "self_url": url(path),
            "site_url": url(paths.home(language)),
            "updated": updated + "T00:00:00Z",
            "entries": entries,
            "author": graph.config.publisher[language] ?? graph.config.title[language] ?? "",
        ]
        let xml = theme.library.render(view, withTemplate: "atom", misses: memo.misses)
        return OutputFile(path: path, data: Data(xml.utf8))
    }

    /// sitemap.xml with every page and its language alternates; needs absolute URLs.
    func sitemap(base: String) -> OutputFile {
        var urls: [SitemapURL] = []
        for job in jobs() {
            // Not the 404 page, and not old addresses (they are noindex).
            let page: (String) -> String
            switch job {
            case .home: page = paths.home
            case .search: page = paths.search
            case .section(let kind, _): page = { paths.sectionIndex(kind, $0) }
            case .entry(let entry, _): page = { paths.page(entry, $0) }
            case .notFound, .redirect: continue
            }
            var lastmod: String?
            if case .entry(let entry, _) = job { lastmod = entry.fields.date?.description }
            urls.append(SitemapURL(url: base + path(of: job), lastmod: lastmod,
                                   alternates: graph.config.languages.map {
                                       AlternateView(lang: $0, name: theme.string($0, "language_name"), href: base + page($0), url: base + page($0))
                                   }))
        }
        let xml = theme.library.render(SitemapView(urls: urls), withTemplate: "sitemap", misses: memo.misses)
        return OutputFile(path: "sitemap.xml", data: Data(xml.utf8))
    }

    struct SearchRecord: Encodable {
        var title: String
        var section: String
        var url: String
        var summary: String
        var text: String
        var lang: String
    }

    /// The search index of `language`, made once: its name carries its hash, which pages
    /// need before the index is written.
    func searchIndexPath(_ language: String) -> String {
        pendingSearchIndex(language).path
    }

    /// The index to write. Its bytes leave the memo here: at 100,000 entries they are a
    /// hundred megabytes that no page needs.
    func takeSearchIndex(_ language: String) -> OutputFile {
        let pending = pendingSearchIndex(language)
        return OutputFile(path: pending.path, data: pending.take() ?? searchIndex(language).data)
    }

    private func pendingSearchIndex(_ language: String) -> PendingFile {
        memo.searchIndexes.value(language) { PendingFile(searchIndex(language)) }
    }

    /// The search index as a script that assigns it: a `fetch()` of JSON fails from file://.
    private func searchIndex(_ language: String) -> OutputFile {
        let v = views(language)
        let from = paths.search(language)
        func record(_ entry: Entry) -> SearchRecord {
            let text = entry.text(in: language)
            let plain = text.body.plainText
            return SearchRecord(
                title: text.title,
                section: entry.kind == .page ? v.t("search.page") : v.t("sections.\(entry.kind.rawValue)"),
                url: Paths.relative(from: from, to: paths.page(entry, language)),
                summary: text.summary ?? "",
                // No more bytes than characters allowed: nothing to cut, and no walk
                // over every character of every text.
                text: plain.utf8.count <= 6000 ? plain : String(plain.prefix(6000)),
                lang: text.language)
        }
        let entries = Kind.allCases.flatMap { graph.all($0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // At 100,000 entries the index is a hundred megabytes: it is put together as bytes,
        // not copied through Strings, and made and encoded a slice at a time, as the texts
        // are read back from the spool and JSONEncoder holds a tree of the whole value it
        // encodes. Compact JSON of a slice is its part of the array.
        var data = Data("window.OVERENS_SEARCH_INDEX = [".utf8)
        for start in stride(from: 0, to: entries.count, by: 512) {
            let records = entries[start..<min(start + 512, entries.count)].map(record)
            let slice = (try? encoder.encode(records)) ?? Data("[]".utf8)
            if start > 0 { data.append(UInt8(ascii: ",")) }
            data.append(slice.dropFirst().dropLast())
        }
        data.append(contentsOf: Array("];\n".utf8))
        return OutputFile(path: Fingerprint.name(paths.searchIndex(language), data: data), data: data)
    }

    struct ActionRecord: Encodable {
        var id: String
        var number: Int?
        var status: String?
        var goals: [String]
        var parties: [String]
        var title: [String: String]
        var summary: [String: String]
        var url: [String: String]
    }

    /// A cell that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) is opened by a
    /// spreadsheet as one, so `=HYPERLINK(...)` in a title would run; OWASP's advice is a
    /// leading apostrophe, which spreadsheets show as text.
    static func defusingFormula(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return cell }
        return "'" + cell
    }

    /// The development plan as JSON and CSV, both languages, for others to reuse.
    func openData() -> [OutputFile] {
        let languages = graph.config.languages
        let records = graph.all(.action).map { action in
            ActionRecord(
                id: action.id, number: action.fields.number, status: action.fields.status?.rawValue,
                goals: action.fields.goals.map(\.id), parties: action.fields.parties.map(\.id),
                title: Dictionary(uniqueKeysWithValues: languages.map { ($0, action.text(in: $0).title) }),
                summary: Dictionary(uniqueKeysWithValues: languages.map { ($0, action.text(in: $0).summary ?? "") }),
                url: Dictionary(uniqueKeysWithValues: languages.map { ($0, (graph.config.baseURL ?? "") + paths.page(action, $0)) }))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let json = (try? encoder.encode(records)) ?? Data("[]".utf8)

        func cell(_ text: String) -> String {
            let s = Self.defusingFormula(text)
            return s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var header = ["id", "number", "status", "goals", "parties"]
        for l in languages { header += ["title_\(l)", "summary_\(l)", "url_\(l)"] }
        var csv = header.joined(separator: ",") + "\r\n"
        for r in records {
            var row = [r.id, r.number.map(String.init) ?? "", r.status ?? "", r.goals.joined(separator: " "), r.parties.joined(separator: " ")]
            for l in languages { row += [r.title[l] ?? "", r.summary[l] ?? "", r.url[l] ?? ""] }
            csv += row.map(cell).joined(separator: ",") + "\r\n"
        }
        return [OutputFile(path: "data/actions.json", data: json + Data("\n".utf8)),
                OutputFile(path: "data/actions.csv", data: Data(csv.utf8)),
                documentsData()]
    }

    struct DocumentRecord: Encodable {
        var id: String
        var kind: String?
        var date: String?
        var actions: [String]
        var goals: [String]
        var parties: [String]
        var title: [String: String]
        var summary: [String: String]
        var url: [String: String]
        /// Per language: the file a reader downloads, with its format and size in bytes.
        var file: [String: FileRecord]
        /// The entries that name the document among their sources, as `kind:id`.
        var cited_by: [String]
    }

    struct FileRecord: Encodable {
        var url: String
        var format: String
        var bytes: Int
        var lang: String
    }

    /// The documents and their files, for others to reuse.
    func documentsData() -> OutputFile {
        let languages = graph.config.languages
        let base = graph.config.baseURL ?? ""
        let records = graph.all(.document).map { document in
            var files: [String: FileRecord] = [:]
            for language in languages {
                if let (file, fileLanguage) = media.file(of: document, in: language) {
                    files[language] = FileRecord(url: base + file.outputPath, format: file.format, bytes: file.size, lang: fileLanguage)
                }
            }
            return DocumentRecord(
                id: document.id, kind: document.fields.documentKind?.rawValue, date: document.fields.date?.description,
                actions: document.fields.actions.map(\.id), goals: document.fields.goals.map(\.id), parties: document.fields.parties.map(\.id),
                title: Dictionary(uniqueKeysWithValues: languages.map { ($0, document.text(in: $0).title) }),
                summary: Dictionary(uniqueKeysWithValues: languages.map { ($0, document.text(in: $0).summary ?? "") }),
                url: Dictionary(uniqueKeysWithValues: languages.map { ($0, base + paths.page(document, $0)) }),
                file: files,
                cited_by: (graph.citations[document.id] ?? []).map { "\($0.kind.linkScheme):\($0.id)" })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let json = (try? encoder.encode(records)) ?? Data("[]".utf8)
        return OutputFile(path: "data/documents.json", data: json + Data("\n".utf8))
    }
}

/// The sitemap's views: typed, as a site's sitemap lists every page.
struct SitemapView: MustacheParent {
    let urls: [SitemapURL]
    func child(named name: String) -> Any? { name == "urls" ? urls : nil }
}

struct SitemapURL: MustacheParent {
    let url: String
    let lastmod: String?
    /// The page in each language, as the head's `alternates` are.
    let alternates: [AlternateView]

    func child(named name: String) -> Any? {
        switch name {
        case "url": url
        case "lastmod": present(lastmod)
        case "alternates": alternates
        default: nil
        }
    }
}
