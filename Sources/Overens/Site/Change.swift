import Foundation

/// What the watcher saw, decided once: which inputs are read again, whether the site is
/// linked anew, and what a preview can serve before the whole site is rendered again.
public struct Change: Sendable, Equatable {
    /// What one changed path is.
    public enum Part: Sendable, Hashable {
        /// A content file the last run read, saved again: its words, perhaps its fields.
        case contentWording
        /// A content file or folder that came, went or is not one the last run read.
        case contentStructure
        case template
        case asset
        case strings
        case siteConfig
    }

    /// Each changed path and what it is; empty for `everything`.
    public let parts: [String: Part]
    /// A first run, or a change not worth tracking: read everything again.
    public let isEverything: Bool

    public static let everything = Change(parts: [:], isEverything: true)

    private init(parts: [String: Part], isEverything: Bool) {
        self.parts = parts
        self.isEverything = isEverything
    }

    /// `known` tells whether the last run read a content file at this path.
    public init(paths: Set<String>, content: String, theme: String, known: (String) -> Bool) {
        var parts: [String: Part] = [:]
        for path in paths.map(Files.normalized) {
            parts[path] = Self.part(of: path, content: content, theme: theme, known: known)
        }
        self.init(parts: parts, isEverything: paths.isEmpty)
    }

    public static func part(of path: String, content: String, theme: String, known: (String) -> Bool) -> Part {
        let content = Files.normalized(content), theme = Files.normalized(theme)
        if path == content + "/site.yml" { return .siteConfig }
        if let relative = Self.relative(path, to: theme) {
            switch relative.split(separator: "/").first {
            case "assets": return .asset
            case "strings": return .strings
            default: return .template   // templates/, or the theme folder itself: load it all again
            }
        }
        return known(path) && isFile(path) ? .contentWording : .contentStructure
    }

    public var paths: Set<String> { Set(parts.keys) }

    func has(_ part: Part) -> Bool { parts.values.contains(part) }

    /// The content folder is listed and site.yml read again; otherwise only `wording` is reread.
    public var listsContent: Bool { isEverything || has(.contentStructure) || has(.siteConfig) }

    /// Content files to read again by themselves.
    public var wording: Set<String> { Set(parts.filter { $0.value == .contentWording }.keys) }

    /// The theme is read again (it is also when site.yml names other languages).
    public var loadsTheme: Bool { isEverything || has(.template) || has(.asset) || has(.strings) }

    /// Only theme assets changed: the new assets can be served before any page renders.
    public var assetsOnly: Bool { !isEverything && parts.values.allSatisfy { $0 == .asset } }

    /// The entries whose own files are all that changed: their pages are served first, and
    /// when only their words changed only they are checked again. Nil when a change reaches
    /// beyond single entries (site.yml, the theme, a folder): then every page may change.
    public func entries(content: String) -> Set<EntryKey>? {
        guard !isEverything else { return nil }
        let content = Files.normalized(content)
        var keys: Set<EntryKey> = []
        for path in parts.keys {
            guard let relative = Self.relative(path, to: content), relative.hasSuffix(".md") else { return nil }
            let names = relative.split(separator: "/")
            guard names.count == 2, let kind = Kind(folder: String(names[0])),
                  let id = names[1].split(separator: ".").first else { return nil }
            keys.insert(EntryKey(kind: kind, id: String(id)))
        }
        return keys
    }

    private static func relative(_ path: String, to folder: String) -> Substring? {
        if path == folder { return "" }
        return path.hasPrefix(folder + "/") ? path.dropFirst(folder.count + 1) : nil
    }

    static func isFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
