import Foundation

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

    public var defaultLanguage: String { languages[0] }

    static let allowedKeys: Set<String> = ["languages", "base_url", "title", "strategy", "description", "publisher", "contact_email",
                                              "max_file_size", "max_image_megapixels", "accessibility_page", "time_zone"]

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
        if let zone = reader.string("time_zone") {
            if let found = TimeZone(identifier: zone), zone.contains("/") || zone == "UTC" { config.timeZone = found } else { diagnostics.error(reader.valueLocation("time_zone"), .unknownTimeZone(zone)) }
        }
        return config
    }
}
