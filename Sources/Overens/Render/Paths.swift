import Foundation

/// Where each page is written, and how one page links to another: always a relative
/// path that names a file, so the site works from disk and from any server folder.
public struct Paths: Sendable {
    public let defaultLanguage: String
    /// Section folder per language and kind, from the theme's strings (`folders:`).
    public let folders: [String: [Kind: String]]
    public let searchSlugs: [String: String]

    public func languageRoot(_ language: String) -> String {
        language == defaultLanguage ? "" : language + "/"
    }

    public func home(_ language: String) -> String { languageRoot(language) + "index.html" }

    public func sectionIndex(_ kind: Kind, _ language: String) -> String {
        languageRoot(language) + folders[language]![kind]! + "/index.html"
    }

    /// The page of `entry` in `language`; a missing translation keeps the primary slug.
    public func page(_ entry: Entry, _ language: String) -> String {
        let slug = entry.slug(in: language)
        if entry.kind == .page { return languageRoot(language) + slug + ".html" }
        return languageRoot(language) + folders[language]![entry.kind]! + "/" + slug + ".html"
    }

    /// An event's iCalendar file, beside its page.
    public func eventCalendar(_ entry: Entry, _ language: String) -> String {
        String(page(entry, language).dropLast(".html".count)) + ".ics"
    }

    /// Every event of one language in one iCalendar file.
    public func calendar(_ language: String) -> String { languageRoot(language) + "calendar.ics" }

    public func search(_ language: String) -> String { languageRoot(language) + searchSlugs[language]! + ".html" }
    public func feed(_ language: String) -> String { languageRoot(language) + "atom.xml" }
    public func searchIndex(_ language: String) -> String { "assets/search-index.\(language).js" }

    /// The relative link from the file at `from` to the file at `to` (both site-relative).
    /// Works on bytes: it runs for every link of every page.
    /// A `from` that starts with `/` is an absolute path on the server (the 404 page's):
    /// links from it are absolute paths too.
    public static func relative(from: String, to: String) -> String {
        if from.hasPrefix("/") { return folder(of: from) + to }
        let a = Array(from.utf8), b = Array(to.utf8)
        let slash = UInt8(ascii: "/")
        // The longest shared folder prefix, ending just after a slash.
        var shared = 0, i = 0
        while i < a.count, i < b.count, a[i] == b[i] {
            if a[i] == slash { shared = i + 1 }
            i += 1
        }
        var ups = 0
        for byte in a[shared...] where byte == slash { ups += 1 }
        var result = [UInt8]()
        result.reserveCapacity(ups * 3 + b.count - shared)
        for _ in 0..<ups { result.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "."), slash]) }
        result.append(contentsOf: b[shared...])
        return String(decoding: result, as: UTF8.self)
    }

    /// The folder of the file at `path`, with its final slash ("" at the root, "/" for an
    /// absolute path at the server's root): all a link from that file depends on.
    public static func folder(of path: String) -> Substring {
        path.lastIndex(of: "/").map { path[...$0] } ?? ""
    }

    /// `../../` from the file at `path` back to the site root ("" at the root).
    public static func toRoot(from path: String) -> String {
        if path.hasPrefix("/") { return String(folder(of: path)) }
        return String(repeating: "../", count: path.utf8.reduce(0) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 })
    }
}
