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
        let slug = entry.text(in: language).slug
        if entry.kind == .page { return languageRoot(language) + slug + ".html" }
        return languageRoot(language) + folders[language]![entry.kind]! + "/" + slug + ".html"
    }

    public func search(_ language: String) -> String { languageRoot(language) + searchSlugs[language]! + ".html" }
    public func feed(_ language: String) -> String { languageRoot(language) + "atom.xml" }
    public func searchIndex(_ language: String) -> String { "assets/search-index.\(language).js" }

    /// The relative link from the file at `from` to the file at `to` (both site-relative).
    public static func relative(from: String, to: String) -> String {
        let fromDirs = from.split(separator: "/").dropLast()
        let toParts = to.split(separator: "/")
        var common = 0
        while common < fromDirs.count, common < toParts.count - 1, fromDirs[fromDirs.startIndex + common] == toParts[common] {
            common += 1
        }
        let up = String(repeating: "../", count: fromDirs.count - common)
        return up + toParts[common...].joined(separator: "/")
    }

    /// `../../` from the file at `path` back to the site root ("" at the root).
    public static func toRoot(from path: String) -> String {
        String(repeating: "../", count: path.split(separator: "/").count - 1)
    }
}
