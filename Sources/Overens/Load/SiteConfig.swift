import Foundation
import Yams

/// `content/site.yml`: the languages and the words that name this site.
public struct SiteConfig: Sendable {
    public var languages: [String]
    public var baseURL: String?
    public var title: [String: String]
    public var strategy: [String: String]
    public var description: [String: String]
    public var publisher: [String: String]
    public var contactEmail: String?
    public var path: String
    /// The largest file under `content/files/` that is published, in bytes.
    public var maxFileSize = 100 * 1_000_000
    /// The most pixels an image may have; checked before it is decoded.
    public var maxImagePixels = 50 * 1_000_000
    /// The page (id) of the accessibility statement: it lists the documents published only
    /// as files, which may not be accessible.
    public var accessibilityPage: String?
    /// The zone events' local times are in (`Europe/Stockholm`); needed once an event has a time.
    public var timeZone: TimeZone?
    /// The home page's heading: what the agreement is, in a line (default: the title).
    public var tagline: [String: String] = [:]
    /// The year the agreement was adopted, for the home page's key facts.
    public var since: Int?
    /// The main menu, in order; nil: the sections, then pages by their `menu:`.
    public var menu: [MenuItem]?
    /// Who to contact, for the footer: organisation, address, phone (per language where given).
    public var contact: [String: [String: String]] = [:]

    /// One item of the main menu: a section (`goals`) or a page (`page:om`), with an
    /// optional shorter label per language.
    public struct MenuItem: Sendable, Hashable {
        public enum Target: Sendable, Hashable { case section(Kind), page(String), home }
        public var target: Target
        public var label: [String: String]
        public var location: SourceLocation
    }

    public var defaultLanguage: String { languages[0] }

    static let allowedKeys: Set<String> = ["languages", "base_url", "title", "strategy", "description", "publisher", "contact_email",
                                              "max_file_size", "max_image_megapixels", "accessibility_page", "time_zone",
                                              "tagline", "since", "menu", "contact"]

    public static func parse(_ text: String, path: String, diagnostics: DiagnosticBag) -> SiteConfig? {
        guard let node = YAMLText.compose(text, path: path, lineOffset: 0, diagnostics: diagnostics) else { return nil }
        guard let mapping = node.mapping else {
            diagnostics.error(SourceLocation(path: path, line: 1, column: 1), .siteConfigShape)
            return nil
        }
        let reader = FieldReader(mapping: mapping, path: path, lineOffset: 0, diagnostics: diagnostics)
        reader.warnUnknown(allowed: allowedKeys, kind: "site.yml")
        guard let list = reader.ids("languages", required: true), !list.isEmpty else {
            if reader.has("languages") { diagnostics.error(reader.location("languages"), .languagesEmpty) }
            return nil
        }
        var languages: [String] = []
        for (language, location) in list {
            guard language.count >= 2, language.count <= 8, language.first != "-" else {
                diagnostics.error(location, .notLanguageCode(language))
                continue
            }
            if languages.contains(language) {
                diagnostics.error(location, .languageTwice(language))
                continue
            }
            languages.append(language)
        }
        guard !languages.isEmpty else { return nil }

        var baseURL = reader.url("base_url")
        if let url = baseURL, !url.hasSuffix("/") { baseURL = url + "/" }
        let email = reader.string("contact_email")
        if let email, !email.contains("@") || email.contains(" ") {
            diagnostics.error(reader.location("contact_email"), .notEmail(email))
        }
        guard let title = reader.localized("title", languages: languages, required: true) else { return nil }
        var config = SiteConfig(
            languages: languages, baseURL: baseURL, title: title,
            strategy: reader.localized("strategy", languages: languages) ?? [:],
            description: reader.localized("description", languages: languages) ?? [:],
            publisher: reader.localized("publisher", languages: languages) ?? [:],
            contactEmail: email, path: path)
        // In megabytes and megapixels, as editors know them.
        if let mb = reader.int("max_file_size", range: 1...100_000) { config.maxFileSize = mb * 1_000_000 }
        if let mp = reader.int("max_image_megapixels", range: 1...1_000) { config.maxImagePixels = mp * 1_000_000 }
        if let page = reader.string("accessibility_page") {
            if Identifier.isValid(page) { config.accessibilityPage = page } else { diagnostics.error(reader.valueLocation("accessibility_page"), .badFileId(page)) }
        }
        config.tagline = reader.localized("tagline", languages: languages) ?? [:]
        config.since = reader.int("since", range: Day.earliestYear...9999)
        if let node = reader.node("menu") { config.menu = menuItems(node, reader: reader, languages: languages, path: path, diagnostics: diagnostics) }
        if let node = reader.node("contact") {
            if let mapping = node.mapping {
                let inner = FieldReader(mapping: mapping, path: path, lineOffset: 0, diagnostics: diagnostics)
                inner.warnUnknown(allowed: ["organisation", "address", "phone"], kind: "site.yml contact")
                for key in ["organisation", "address", "phone"] {
                    if let text = inner.localized(key, languages: languages) { config.contact[key] = text }
                }
            } else {
                diagnostics.error(reader.valueLocation("contact"), .fieldMustBe("contact", .textPerLanguage(languages)))
            }
        }
        if let zone = reader.string("time_zone") {
            if let found = TimeZone(identifier: zone), zone.contains("/") || zone == "UTC" { config.timeZone = found } else { diagnostics.error(reader.valueLocation("time_zone"), .unknownTimeZone(zone)) }
        }
        return config
    }

    /// `menu: [home, goals, actions, {page: om, label: {sv: Om, en: About}}]`.
    static func menuItems(_ node: Yams.Node, reader: FieldReader, languages: [String], path: String, diagnostics: DiagnosticBag) -> [MenuItem]? {
        guard let list = node.sequence else {
            diagnostics.error(reader.location(of: node), .menuShape)
            return nil
        }
        var items: [MenuItem] = []
        for entry in list {
            let place = reader.location(of: entry)
            var name = entry.scalar?.string
            var label: [String: String] = [:]
            if let mapping = entry.mapping {
                let inner = FieldReader(mapping: mapping, path: path, lineOffset: 0, diagnostics: diagnostics)
                inner.warnUnknown(allowed: ["page", "section", "label"], kind: "site.yml menu")
                name = inner.string("page").map { "page:" + $0 } ?? inner.string("section")
                label = inner.localized("label", languages: languages) ?? [:]
            }
            guard let name else {
                diagnostics.error(place, .menuShape)
                continue
            }
            if name == "home" {
                items.append(MenuItem(target: .home, label: label, location: place))
            } else if name.hasPrefix("page:") {
                items.append(MenuItem(target: .page(String(name.dropFirst(5))), label: label, location: place))
            } else if let kind = Kind(folder: name), kind != .page {
                items.append(MenuItem(target: .section(kind), label: label, location: place))
            } else {
                diagnostics.error(place, .menuItemUnknown(name, sections: Kind.menuSections.map(\.folder)))
            }
        }
        return items
    }
}
