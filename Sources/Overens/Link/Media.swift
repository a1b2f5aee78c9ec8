import Foundation

/// A file of `content/files/` that the site links, checked and ready to copy.
public struct PublishedFile: Sendable, Hashable {
    /// The path inside `content/files/`, as content names it.
    public var name: String
    /// Where it is read from.
    public var source: String
    public var size: Int
    /// What a reader is told it is: `PDF`, `DOCX`, ...
    public var format: String

    /// Where the copy goes in the output.
    public var outputPath: String { AssetFolder.files.outputFolder + "/" + name }
}

/// The files and photos the site publishes: every use checked, every image processed.
/// Made after linking, before rendering; the renderer only reads it.
public struct Media: Sendable {
    public var files: [String: PublishedFile] = [:]
    public var images: [String: PublishedImage] = [:]

    public init() {}

    /// The copies of the files (byte for byte) and the images' variants, one job each.
    func outputJobs() -> [@Sendable () -> [OutputFile]] {
        let copies: [@Sendable () -> [OutputFile]] = files.values.sorted { $0.name < $1.name }.map { file in
            { FileManager.default.contents(atPath: file.source).map { [OutputFile(path: file.outputPath, data: $0)] } ?? [] }
        }
        let variants: [@Sendable () -> [OutputFile]] = images.values.sorted { $0.name < $1.name }.map { image in
            { image.processed.variants.map { OutputFile(path: image.outputPath($0), data: $0.data) } }
        }
        return copies + variants
    }

    /// The paths of the output the files and images take.
    public var outputPaths: [String] {
        files.values.map(\.outputPath) + images.values.flatMap { image in image.processed.variants.map(image.outputPath) }
    }

    /// The file a document links in `language`: its own, else the default language's,
    /// with the language of the file's text.
    public func file(of entry: Entry, in language: String) -> (file: PublishedFile, language: String)? {
        if let own = entry.translations[language]?.file, let file = files[Self.key(own.path)] { return (file, language) }
        if let main = entry.translations[entry.primaryLanguage]?.file, let file = files[Self.key(main.path)] { return (file, entry.primaryLanguage) }
        return nil
    }

    /// How a path is looked up: percent-escapes undone, `./` parts dropped.
    static func key(_ written: String) -> String {
        let decoded = written.removingPercentEncoding ?? written
        return decoded.split(separator: "/", omittingEmptySubsequences: false).filter { $0 != "." }.joined(separator: "/")
    }
}

/// The checks on files that content names, and the list of those to publish.
enum FileRules {
    /// What may be published, with what its first bytes must be.
    static let allowed: [String: Signature] = [
        "pdf": .prefix(Array("%PDF-".utf8), en: "a PDF", sv: "en PDF"),
        "docx": .zip, "xlsx": .zip, "pptx": .zip, "odt": .zip, "ods": .zip, "odp": .zip,
        "csv": .text, "txt": .text,
    ]

    enum Signature {
        case prefix([UInt8], en: String, sv: String)
        case text
        static let zip = Signature.prefix([0x50, 0x4B, 0x03, 0x04], en: "an Office document (a ZIP file)", sv: "ett Office-dokument (en ZIP-fil)")

        var expected: (en: String, sv: String) {
            switch self {
            case .prefix(_, let en, let sv): (en, sv)
            case .text: ("plain text (UTF-8)", "vanlig text (UTF-8)")
            }
        }
    }

    static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// Why a written path may not be looked up at all: it leaves the folder or is empty.
    static func pathProblem(_ name: String, folder: String) -> Message? {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        if name.isEmpty || name.hasPrefix("/") || parts.contains("..") || parts.contains("") || name.contains("\\")
            || name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .fileOutside(name, folder: folder)
        }
        return nil
    }

    /// Checks one listed file against the rules; nil when it may be published.
    static func problem(_ asset: AssetFile, maxSize: Int) -> Message? {
        guard case let .file(size, _) = asset.state else {
            if case let .refused(message) = asset.state { return message }
            return nil
        }
        let ext = fileExtension(asset.name)
        guard let signature = allowed[ext] else { return .fileTypeNotAllowed(ext.isEmpty ? "?" : ext, allowed: allowed.keys.sorted()) }
        if size == 0 { return .fileEmpty }
        if size > maxSize { return .fileTooLarge(size, limit: maxSize) }
        guard let handle = FileHandle(forReadingAtPath: asset.path) else { return .unreadable }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 65_536)) ?? Data())
        switch signature {
        case .prefix(let magic, _, _):
            if !head.starts(with: magic) { return .fileContentMismatch(ext, expected: signature.expected) }
        case .text:
            // A text file has no NUL and is UTF-8 (a sequence cut at the end of the sample is fine).
            let cut = head
            if cut.contains(0) || !validUTF8Prefix(head) {
                return .fileContentMismatch(ext, expected: signature.expected)
            }
        }
        return nil
    }

    /// True when `bytes` is UTF-8 but perhaps for a sequence cut at its very end.
    private static func validUTF8Prefix(_ bytes: [UInt8]) -> Bool {
        for drop in 0...min(3, bytes.count) where String(validating: bytes.dropLast(drop), as: UTF8.self) != nil { return true }
        return false
    }
}

/// Sizes as Swedish public-sector guidance writes them in a link: "240 kB", "1,2 MB".
public enum FileSize {
    public static func text(_ bytes: Int, language: String) -> String {
        let comma = language == "sv" ? "," : "."
        func decimal(_ value: Double, _ unit: String) -> String {
            if value >= 10 { return "\(Int(value.rounded())) \(unit)" }
            let tenths = Int((value * 10).rounded())
            return "\(tenths / 10)\(comma)\(tenths % 10) \(unit)"
        }
        switch bytes {
        case ..<1_000: return "\(bytes) B"
        case ..<999_500: return "\(max(1, Int((Double(bytes) / 1_000).rounded()))) kB"
        case ..<999_950_000: return decimal(Double(bytes) / 1_000_000, "MB")
        default: return decimal(Double(bytes) / 1_000_000_000, "GB")
        }
    }
}

extension Media {
    /// The media step: files and images that content uses, checked; images processed.
    public static func resolve(_ graph: SiteGraph, assets: [AssetFile], credits: (path: String, text: String)?,
                               options: BuildOptions, diagnostics: DiagnosticBag) -> Media {
        var media = Media()
        media.resolveFiles(graph, assets: assets, diagnostics: diagnostics)
        let credits = credits.map { ImageCredits.parse($0.text, path: $0.path, diagnostics: diagnostics) } ?? ImageCredits()
        media.resolveImages(graph, assets: assets, credits: credits, cache: ImageCache(folder: BuildCache.root(options) + "/images"),
                            contentDirectory: options.content, diagnostics: diagnostics)
        return media
    }

    /// True when `entries` use the same files and images in `after` as in `before`, at the
    /// same places and with the same alt texts: the media resolved before still hold.
    public static func sameUses(_ entries: Set<EntryKey>, before: SiteGraph, after: SiteGraph) -> Bool {
        let keys = entries.sorted()
        let old = keys.compactMap { before.entry($0.kind, $0.id) }, new = keys.compactMap { after.entry($0.kind, $0.id) }
        let oldFindings = DiagnosticBag(), newFindings = DiagnosticBag()
        return old.count == new.count && fileUses(old) == fileUses(new)
            && imageUses(old, diagnostics: oldFindings) == imageUses(new, diagnostics: newFindings)
            && oldFindings.all == newFindings.all
    }

    /// Every use of a file in the graph, checked; the files used become `files`. Files
    /// nothing links are a warning.
    mutating func resolveFiles(_ graph: SiteGraph, assets: [AssetFile], diagnostics: DiagnosticBag) {
        let listed = Self.listing(assets, .files)
        var verdicts: [String: Message?] = [:]
        var used: Set<String> = []
        for use in Self.fileUses(graph.allEntries) {
            guard let name = Self.listedName(use.path, at: use.location, in: listed, folder: .files, diagnostics: diagnostics) else { continue }
            let asset = listed[name]!
            used.insert(name)
            let verdict = verdicts[name] ?? FileRules.problem(asset, maxSize: graph.config.maxFileSize)
            verdicts[name] = verdict
            if let problem = verdict {
                diagnostics.error(use.location, problem)
            } else if case let .file(size, _) = asset.state {
                files[name] = PublishedFile(name: name, source: asset.path, size: size, format: FileRules.fileExtension(name).uppercased())
            }
        }
        for asset in listed.values.sorted(by: { $0.name < $1.name }) where !used.contains(asset.name) {
            diagnostics.warning(SourceLocation(path: asset.path), .fileUnused)
        }
    }

    /// One of the asset folders' files by its path inside the folder.
    static func listing(_ assets: [AssetFile], _ folder: AssetFolder) -> [String: AssetFile] {
        Dictionary(assets.filter { $0.folder == folder }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The listed file a path written in content names, or nil once it is reported why
    /// there is none: the path leaves the folder, or no such file (with the nearest name).
    static func listedName(_ written: String, at location: SourceLocation, in listed: [String: AssetFile], folder: AssetFolder,
                           diagnostics: DiagnosticBag) -> String? {
        let name = key(written), shown = "content/" + folder.rawValue
        if let problem = FileRules.pathProblem(name, folder: shown) {
            diagnostics.error(location, problem)
            return nil
        }
        guard listed[name] != nil else {
            diagnostics.error(location, .fileMissing(name, folder: shown, hint: nearest(name, among: listed.keys)))
            return nil
        }
        return name
    }

    /// A document's `file:` in each language and every `[text](file:path)` link.
    static func fileUses(_ entries: some Sequence<Entry>) -> [AssetReference] {
        var uses: [AssetReference] = []
        for entry in entries {
            for language in entry.translations.keys.sorted() {
                let text = entry.translations[language]!
                if let file = text.file { uses.append(file) }
                for link in text.body.links {
                    if case .file(let path) = link.target, !link.isImage {
                        uses.append(AssetReference(path: path, location: SourceLocation(path: text.path, line: link.line, column: link.column)))
                    }
                }
            }
        }
        return uses
    }
}

/// The name among `names` closest to `name`, when it is close enough to be a slip.
func nearest(_ name: String, among names: some Sequence<String>) -> String? {
    let limit = max(2, name.count / 3)
    let best = names.map { ($0, editDistance($0, name)) }.min { ($0.1, $0.0) < ($1.1, $1.0) }
    guard let (found, distance) = best, distance <= limit else { return nil }
    return found
}
